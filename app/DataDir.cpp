#include "DataDir.h"

#include <cstdlib>
#include <fstream>
#include <system_error>

#include "server/auth/SignedUrl.h"

namespace stagecast::app {

namespace fs = std::filesystem;

fs::path defaultDataDir() {
#if defined(_WIN32)
    if (const char* appData = std::getenv("APPDATA")) {
        return fs::path(appData) / "Stagecast";
    }
    return fs::current_path() / "Stagecast";
#elif defined(__APPLE__)
    if (const char* home = std::getenv("HOME")) {
        return fs::path(home) / "Library" / "Application Support" / "Stagecast";
    }
    return fs::current_path() / "Stagecast";
#else
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) {
        return fs::path(xdg) / "stagecast";
    }
    if (const char* home = std::getenv("HOME"); home && *home) {
        return fs::path(home) / ".local" / "share" / "stagecast";
    }
    return fs::current_path() / "stagecast-data";
#endif
}

base::Status ensureDataDir(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir / "secrets", ec);
    if (ec) {
        return base::fail("cannot create data folder " + dir.string() + ": " + ec.message());
    }
    fs::permissions(dir / "secrets", fs::perms::owner_all, fs::perm_options::replace, ec);
    return {};
}

base::Result<std::string> loadOrCreateSecret(const fs::path& dir, const std::string& name) {
    auto path = dir / "secrets" / name;
    std::error_code ec;
    if (fs::exists(path, ec)) {
        std::ifstream in(path);
        std::string value;
        std::getline(in, value);
        while (!value.empty() && (value.back() == '\r' || value.back() == ' ')) {
            value.pop_back();
        }
        if (value.size() < 16) {
            return base::fail(path.string() + " holds a secret shorter than 16 characters; "
                                              "delete the file to generate a new one");
        }
        return value;
    }
    if (auto ok = ensureDataDir(dir); !ok) {
        return base::fail(ok.error());
    }
    auto value = server::auth::randomSecret(16);
    {
        std::ofstream out(path, std::ios::trunc);
        if (!out) {
            return base::fail("cannot write " + path.string());
        }
        out << value << '\n';
    }
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace,
                    ec);
    return value;
}

} // namespace stagecast::app
