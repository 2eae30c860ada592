#pragma once
/// A transition as JSON, for the API and the scene collection:
///   {"type":"swipe","direction":"left","duration_ms":800}
///   {"type":"fade_to_color","color":"#000000","switch_point":50}
///   {"type":"luma_wipe","image":"linear-h","softness":0.03,"invert":false}
///   {"type":"stinger","path":"/media/sting.mp4","transition_point_ms":500}
/// Fields a type does not use are left out when written and ignored when read.

#include <nlohmann/json.hpp>

#include "base/Result.h"
#include "director/TransitionSpec.h"

namespace stagecast::director {

nlohmann::json toJson(const TransitionSpec& spec);
/// `type` is required; the rest default. Wrong kinds are named ("softness: a number 0..1");
/// ranges and files are checked by validate().
base::Result<TransitionSpec> transitionFromJson(const nlohmann::json& j);

} // namespace stagecast::director
