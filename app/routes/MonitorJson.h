#pragma once
/// JSON forms of monitoring's values, shared by the API routes and the event topics
/// ("health", "alerts"). Times are RFC 3339 UTC with milliseconds.

#include <string>

#include <nlohmann/json.hpp>

#include "monitor/AlertTypes.h"
#include "monitor/Downsample.h"
#include "monitor/StreamHealth.h"
#include "monitor/ViewerStats.h"
#include "store/Alerts.h"
#include "store/PublishSessions.h"
#include "store/Time.h"
#include "store/ViewerSessions.h"

namespace stagecast::app {

/// "2026-01-01T00:00:00.000Z"
std::string rfc3339(store::Time t);

nlohmann::json toJson(const monitor::StreamHealth& health);
nlohmann::json toJson(const monitor::SeriesPoint& point);
nlohmann::json toJson(const monitor::AlertEvent& alert);
/// A stored alert; `now` gives an open alert's duration so far.
nlohmann::json toJson(const store::Alert& alert, store::Time now);
nlohmann::json toJson(const monitor::ViewersReport& report);
nlohmann::json toJson(const store::PublishSession& session);
nlohmann::json toJson(const store::ViewerSession& session);

} // namespace stagecast::app
