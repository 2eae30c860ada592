#include "ResponseHead.h"

#include <charconv>

namespace stagecast::server::http {

namespace {

void field(std::string& out, std::string_view name, std::string_view value) {
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
}

} // namespace

void writeOkHead(std::string& out, const OkHead& head) {
    out.clear();
    out += "HTTP/1.1 200 OK\r\nServer: Stagecast/";
    out += head.version;
    out += "\r\n";
    field(out, "Access-Control-Allow-Origin", head.corsOrigin);
    if (head.corsMethods) {
        field(out, "Access-Control-Allow-Methods", "GET, HEAD, DELETE, POST, OPTIONS");
        field(out, "Access-Control-Allow-Headers", "Authorization, Content-Type, Range");
    }
    field(out, "Content-Type", head.contentType);
    field(out, "Cache-Control", head.cacheControl);
    char digits[24];
    const auto* end = std::to_chars(digits, digits + sizeof digits, head.contentLength).ptr;
    field(out, "Content-Length", std::string_view(digits, static_cast<std::size_t>(end - digits)));
    if (!head.keepAlive) {
        field(out, "Connection", "close");
    }
    out += "\r\n";
}

} // namespace stagecast::server::http
