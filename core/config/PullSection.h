#pragma once
/// [[pull]] tables: external streams pulled into the hub (Config.cpp reads them here).

#include <vector>

#include <toml++/toml.h>

#include "base/Result.h"
#include "config/Config.h"

namespace stagecast::config::detail {

base::Status readPulls(const toml::node& node, std::vector<PullConfig>& pulls);

} // namespace stagecast::config::detail
