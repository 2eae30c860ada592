#pragma once
/// JSON forms of moderation items and decisions for the API and the event topics, and the
/// parsing of the request bodies and filters the moderation routes accept. Errors name the
/// field and what is allowed.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/Result.h"
#include "moderation/ModerationQueue.h"
#include "moderation/ModerationTypes.h"
#include "server/api/ApiMount.h"
#include "store/Moderation.h"

namespace stagecast::app {

/// Everything a moderator sees.
nlohmann::json toJson(const store::ModerationItem& item);
nlohmann::json toJson(const store::ModerationDecision& decision);
/// What viewers see of a published message or question (no labels, no address).
nlohmann::json publicJson(const store::ModerationItem& item);

/// A ModerationError as an API answer (400, 403, 404, 409, 429, 503).
server::api::ApiResponse errorOf(const moderation::ModerationError& error);
server::api::ApiResponse jsonAnswer(unsigned status, const nlohmann::json& body);

/// The body as a JSON object, or an error naming the problem.
base::Result<nlohmann::json> objectBody(const server::api::ApiRequest& request);
/// `body[name]` as a string: absent -> `fallback`; not a string -> error.
base::Result<std::string> stringMember(const nlohmann::json& body, const char* name,
                                       std::string fallback = {});

/// The queue filter from a query string: state=a,b kind=a,b stream= from= to= text= author=
/// order=newest|oldest after= limit= (CSV export: no limit/after).
base::Result<store::ModerationFilter> moderationFilter(const std::string& query,
                                                       std::size_t maxLimit);

/// An action request from a body: {"action", "moderator", "reason", "reply", "seen"}.
base::Result<moderation::ActionRequest> actionRequest(const nlohmann::json& body);

} // namespace stagecast::app
