#pragma once
/// The libobs source type "stagecast_hub_input": an input that shows a hub stream. Its one
/// setting is "stream" (APP/NAME); each source owns a HubInput worker. Registered by the
/// director after the engine starts; the hub must outlive every such source.
///
/// Threads: register once, on the director's thread, after Engine::start.

#include <obs.h>

#include "director/HubInput.h"
#include "stream/Hub.h"

namespace stagecast::director {

inline constexpr const char* kHubInputId = "stagecast_hub_input";

void registerHubInputSource(stream::Hub& hub, HubInputOptions options);

/// The worker behind a hub input source; nullptr for other sources or one that failed.
HubInput* hubInputOf(obs_source_t* source);

} // namespace stagecast::director
