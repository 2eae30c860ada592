#pragma once
/// The keys of [director] (Config.cpp reads the section through these fields).

#include <vector>

#include "config/Config.h"
#include "config/ConfigFields.h"

namespace stagecast::config::detail {

std::vector<Field> directorFields(DirectorConfig& director);

} // namespace stagecast::config::detail
