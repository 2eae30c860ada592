#pragma once
/// The keys of [snapshot] (Config.cpp reads the section through these fields).

#include <vector>

#include "config/Config.h"
#include "config/ConfigFields.h"

namespace stagecast::config::detail {

std::vector<Field> snapshotFields(SnapshotConfig& snapshot);

} // namespace stagecast::config::detail
