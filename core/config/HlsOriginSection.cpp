#include "config/HlsOriginSection.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "base/HttpUrl.h"

namespace stagecast::config::detail {

base::Status checkOriginUrl(const std::string& value, const std::string& path) {
    if (value.empty()) {
        return {};
    }
    if (auto url = base::parseHttpUrl(value); !url) {
        return base::fail(path + ": " + url.error().message() +
                          "; expected http[s]://HOST[:PORT][/PATH] or \"\" (off)");
    }
    return {};
}

base::Status checkOriginHeader(const std::string& value, const std::string& path) {
    if (value.empty()) {
        return {};
    }
    const auto colon = value.find(':');
    const auto name = value.substr(0, colon == std::string::npos ? 0 : colon);
    const bool tokenName = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
    });
    const bool clean = std::none_of(value.begin(), value.end(),
                                    [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
    if (!tokenName || !clean) {
        return base::fail(path + ": must be \"Name: value\" (e.g. \"Authorization: Bearer X\") "
                                 "on one line");
    }
    return {};
}

base::Status checkCaFile(const std::string& value, const std::string& path) {
    std::error_code ec;
    if (value.empty() || std::filesystem::is_regular_file(value, ec)) {
        return {};
    }
    return base::fail(path + ": '" + value + "' is not a readable file (a PEM file of the CA " +
                      "certificates to trust, or \"\" for the system's)");
}

} // namespace stagecast::config::detail
