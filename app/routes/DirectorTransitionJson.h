#pragma once
/// The director API's transition, T-bar and audio-routing requests and the JSON they add to
/// GET /api/v1/director:
///
///   POST /api/v1/director/transition  {"type":"swipe","direction":"left","duration_ms":800}
///   POST /api/v1/director/auto        {"type":"fade",...} optional: this take only
///   POST /api/v1/director/tbar        {"position":0.5}; GET answers the position
///   POST /api/v1/director/audio       {"input":"live/mic","follow_video":false,"monitor":true,
///                                      "sync_offset_ms":120}
///
/// Pure helpers over the director's facade; DirectorRoutes mounts them.

#include <nlohmann/json.hpp>

#include "director/Director.h"
#include "server/api/ApiRouter.h"

namespace stagecast::app {

nlohmann::json meterJson(const director::Meter& meter);
/// follow_video, monitor, monitor_problem, sync_offset_ms and meter into an input's JSON.
void addAudioJson(nlohmann::json& input, const director::InputFigures& figures);
/// transition, tbar, program_meter and luma_images into the state's JSON.
void addTransitionJson(nlohmann::json& state, const director::DirectorState& s);

/// The one-off transition of an Auto body ("type" and its fields), nullopt without "type".
base::Result<std::optional<director::TransitionSpec>> oneOffTransition(const nlohmann::json& body);

server::api::ApiResponse setTransition(director::Director& d, const nlohmann::json& body);
server::api::ApiResponse getTbar(director::Director& d);
server::api::ApiResponse moveTbar(director::Director& d, const nlohmann::json& body);
/// Whether the /audio body has follow_video, monitor or sync_offset_ms.
bool hasAudioRouting(const nlohmann::json& body);
/// follow_video, monitor and sync_offset_ms; base::fail naming the field for a wrong value.
base::Result<nlohmann::json> setAudioRouting(director::Director& d, const std::string& input,
                                             const nlohmann::json& body);

} // namespace stagecast::app
