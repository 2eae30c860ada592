#pragma once
/// The keys of [record] (Config.cpp reads the section through these fields).

#include <vector>

#include "config/Config.h"
#include "config/ConfigFields.h"

namespace stagecast::config::detail {

std::vector<Field> recordFields(RecordConfig& record);

} // namespace stagecast::config::detail
