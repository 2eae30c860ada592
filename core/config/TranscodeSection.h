#pragma once
/// [transcode] and its [[transcode.rule]] tables (Config.cpp reads the section here).

#include <string>

#include <toml++/toml.h>

#include "base/Result.h"
#include "config/Config.h"

namespace stagecast::config::detail {

base::Status readTranscode(const toml::node& node, const std::string& path,
                           TranscodeConfig& transcode);

} // namespace stagecast::config::detail
