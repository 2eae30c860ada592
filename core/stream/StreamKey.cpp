#include "StreamKey.h"

namespace stagecast::stream {
namespace {

base::Status checkPart(std::string_view what, std::string_view part) {
    if (part.empty() || part.size() > 128) {
        return base::fail(std::string(what) + " must be 1..128 characters");
    }
    if (part.front() == '.') {
        return base::fail(std::string(what) + " '" + std::string(part) +
                          "' may not start with '.'");
    }
    for (char c : part) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || c == '.';
        if (!ok) {
            return base::fail(std::string(what) + " '" + std::string(part) +
                              "' has a character outside A-Z a-z 0-9 - _ .");
        }
    }
    return {};
}

} // namespace

base::Result<StreamKey> StreamKey::make(std::string_view app, std::string_view name) {
    if (auto ok = checkPart("app", app); !ok) {
        return base::fail(ok.error());
    }
    if (auto ok = checkPart("stream name", name); !ok) {
        return base::fail(ok.error());
    }
    return StreamKey(std::string(app), std::string(name));
}

base::Result<StreamKey> StreamKey::parse(std::string_view appSlashName) {
    auto slash = appSlashName.find('/');
    if (slash == std::string_view::npos) {
        return base::fail("stream '" + std::string(appSlashName) + "' must be APP/STREAM");
    }
    return make(appSlashName.substr(0, slash), appSlashName.substr(slash + 1));
}

} // namespace stagecast::stream
