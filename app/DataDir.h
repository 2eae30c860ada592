#pragma once
/// The data folder: where the database, recordings and the generated secrets live.

#include <filesystem>
#include <string>

#include "base/Result.h"

namespace stagecast::app {

/// The platform's app-data folder: $XDG_DATA_HOME/stagecast (or ~/.local/share/stagecast)
/// on Linux, ~/Library/Application Support/Stagecast on macOS, %APPDATA%\Stagecast on Windows.
std::filesystem::path defaultDataDir();

/// Creates the folder (mode 0700 on POSIX) if missing; the error names the path.
base::Status ensureDataDir(const std::filesystem::path& dir);

/// Reads secrets/<name> in `dir`, or generates a random one and stores it with mode 0600.
/// Generated once: later runs and `stagecast sign-url` read the same value.
base::Result<std::string> loadOrCreateSecret(const std::filesystem::path& dir,
                                             const std::string& name);

} // namespace stagecast::app
