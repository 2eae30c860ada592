// Replaced by the server's sources as they land.
namespace stagecast::server {}
