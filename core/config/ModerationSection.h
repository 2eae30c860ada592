#pragma once
/// The keys of [moderation] (Config.cpp reads the section through these fields).

#include <vector>

#include "config/Config.h"
#include "config/ConfigFields.h"

namespace stagecast::config::detail {

std::vector<Field> moderationFields(ModerationConfig& moderation);

} // namespace stagecast::config::detail
