#pragma once
/// Checks of the [hls] origin_* keys (the HTTP origin output); Config.cpp reads them.

#include <string>

#include "base/Result.h"

namespace stagecast::config::detail {

/// Empty (off) or an http:// / https:// URL with a host and no query; the error names `path`.
base::Status checkOriginUrl(const std::string& value, const std::string& path);
/// Empty or "Name: value" with a token name (no CR/LF anywhere).
base::Status checkOriginHeader(const std::string& value, const std::string& path);
/// Empty (the system's CAs) or a file that exists (its PEM content is loaded at start).
base::Status checkCaFile(const std::string& value, const std::string& path);

} // namespace stagecast::config::detail
