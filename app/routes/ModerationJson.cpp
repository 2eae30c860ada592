#include "app/routes/ModerationJson.h"

#include <charconv>

#include "app/routes/MonitorJson.h"
#include "monitor/HealthQuery.h"
#include "server/api/ApiRouter.h"
#include "stream/StreamKey.h"

namespace stagecast::app {

namespace api = server::api;
using moderation::ModerationError;
using nlohmann::json;

namespace {

json labelsOf(const std::string& labelsJson) {
    auto labels = json::parse(labelsJson, nullptr, false);
    return labels.is_array() ? labels : json::array();
}

json mediaTime(const std::optional<std::chrono::milliseconds>& t) {
    return t ? json(t->count()) : json(nullptr);
}

base::Result<std::int64_t> wholeNumber(std::string_view name, std::string_view text,
                                       std::int64_t min, std::int64_t max) {
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc{} || end != text.data() + text.size() || n < min || n > max) {
        return base::fail(std::string(name) + ": '" + std::string(text.substr(0, 32)) +
                          "' must be a whole number in " + std::to_string(min) + ".." +
                          std::to_string(max));
    }
    return n;
}

/// "a,b" -> each parsed by `parse`; an unknown name is an error listing what is allowed.
template <typename T, typename Parse>
base::Result<std::vector<T>> listParam(const std::string& query, std::string_view name, Parse parse,
                                       std::string_view allowed) {
    std::vector<T> out;
    auto text = api::queryParam(query, name);
    if (!text || text->empty()) {
        return out;
    }
    std::string_view rest = *text;
    while (!rest.empty()) {
        auto comma = rest.find(',');
        auto part = rest.substr(0, comma);
        auto value = parse(part);
        if (!value) {
            return base::fail(std::string(name) + ": '" + std::string(part.substr(0, 32)) +
                              "' is not one of " + std::string(allowed));
        }
        out.push_back(*value);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
    return out;
}

} // namespace

json toJson(const store::ModerationItem& item) {
    return {{"id", item.id},
            {"kind", store::toString(item.kind)},
            {"stream", item.stream},
            {"author", item.author},
            {"text", item.text},
            {"state", store::toString(item.state)},
            {"media_time_ms", mediaTime(item.mediaTs)},
            {"created_at", rfc3339(item.createdAt)},
            {"updated_at", rfc3339(item.updatedAt)},
            {"upvotes", item.upvotes},
            {"labels", labelsOf(item.labelsJson)}};
}

json toJson(const store::ModerationDecision& d) {
    return {{"id", d.id},
            {"item_id", d.itemId},
            {"from", store::toString(d.from)},
            {"to", store::toString(d.to)},
            {"actor", d.actor},
            {"reason", d.reason},
            {"at", rfc3339(d.at)}};
}

json publicJson(const store::ModerationItem& item) {
    json out = {{"id", item.id},
                {"kind", store::toString(item.kind)},
                {"author", item.author},
                {"text", item.text},
                {"state", store::toString(item.state)},
                {"created_at", rfc3339(item.createdAt)},
                {"upvotes", item.upvotes}};
    // A moderator's reply names the item it answers ("reply-to:ID" label).
    for (const auto& label : labelsOf(item.labelsJson)) {
        if (label.is_string() && label.get<std::string>().starts_with("reply-to:")) {
            out["reply_to"] = std::stoll(label.get<std::string>().substr(9));
        }
    }
    return out;
}

api::ApiResponse jsonAnswer(unsigned status, const json& body) {
    api::ApiResponse r;
    r.status = status;
    r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    return r;
}

api::ApiResponse errorOf(const ModerationError& error) {
    unsigned status = 400;
    switch (error.code) {
    case ModerationError::Code::BadRequest:
        status = 400;
        break;
    case ModerationError::Code::NotFound:
        status = 404;
        break;
    case ModerationError::Code::Conflict:
        status = 409;
        break;
    case ModerationError::Code::Forbidden:
        status = 403;
        break;
    case ModerationError::Code::Unavailable:
        status = 503;
        break;
    case ModerationError::Code::RateLimited:
        status = 429;
        break;
    }
    return api::errorResponse(status, error.message);
}

base::Result<json> objectBody(const api::ApiRequest& request) {
    auto body = json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
        return base::fail("body: expected a JSON object");
    }
    return body;
}

base::Result<std::string> stringMember(const json& body, const char* name, std::string fallback) {
    auto it = body.find(name);
    if (it == body.end() || it->is_null()) {
        return fallback;
    }
    if (!it->is_string()) {
        return base::fail(std::string(name) + ": expected a string");
    }
    return it->get<std::string>();
}

base::Result<store::ModerationFilter> moderationFilter(const std::string& query,
                                                       std::size_t maxLimit) {
    store::ModerationFilter f;
    auto states = listParam<store::ItemState>(
        query, "state", [](std::string_view s) { return store::parseItemState(s); },
        "pending, approved, rejected, escalated, answered, dismissed");
    if (!states) {
        return base::fail(states.error());
    }
    f.states = std::move(*states);
    auto kinds = listParam<store::ItemKind>(
        query, "kind", [](std::string_view s) { return store::parseItemKind(s); },
        "chat, question, detector, manual, auth");
    if (!kinds) {
        return base::fail(kinds.error());
    }
    f.kinds = std::move(*kinds);
    if (auto stream = api::queryParam(query, "stream"); stream && !stream->empty()) {
        auto key = stream::StreamKey::parse(*stream);
        if (!key) {
            return base::fail(key.error().withContext("stream"));
        }
        f.stream = key->str();
    }
    for (auto [name, target] : {std::pair{"from", &f.from}, std::pair{"to", &f.to}}) {
        if (auto text = api::queryParam(query, name)) {
            auto t = monitor::parseTimeParam(*text);
            if (!t) {
                return base::fail(t.error().withContext(name));
            }
            *target = *t;
        }
    }
    f.text = api::queryParam(query, "text").value_or("");
    f.author = api::queryParam(query, "author").value_or("");
    if (f.text.size() > 200 || f.author.size() > 200) {
        return base::fail("text, author: at most 200 bytes");
    }
    auto order = api::queryParam(query, "order").value_or("newest");
    if (order != "newest" && order != "oldest") {
        return base::fail("order: '" + order.substr(0, 32) + "' is not one of newest, oldest");
    }
    f.order = order == "newest" ? store::SortOrder::NewestFirst : store::SortOrder::OldestFirst;
    if (auto after = api::queryParam(query, "after")) {
        auto n = wholeNumber("after", *after, 0, INT64_MAX);
        if (!n) {
            return base::fail(n.error());
        }
        f.afterId = *n;
    }
    f.limit = 50;
    if (auto limit = api::queryParam(query, "limit")) {
        auto n = wholeNumber("limit", *limit, 1, static_cast<std::int64_t>(maxLimit));
        if (!n) {
            return base::fail(n.error());
        }
        f.limit = static_cast<std::size_t>(*n);
    }
    return f;
}

base::Result<moderation::ActionRequest> actionRequest(const json& body) {
    moderation::ActionRequest r;
    auto action = stringMember(body, "action");
    auto moderator = stringMember(body, "moderator");
    auto reason = stringMember(body, "reason");
    auto reply = stringMember(body, "reply");
    auto seen = stringMember(body, "seen");
    for (const auto* value : {&action, &moderator, &reason, &reply, &seen}) {
        if (!*value) {
            return base::fail(value->error());
        }
    }
    auto parsed = moderation::parseOperatorAction(*action);
    if (!parsed) {
        return base::fail("action: '" + action->substr(0, 32) +
                          "' is not one of approve, answer, dismiss, reject, followup, reply, "
                          "hold");
    }
    r.action = *parsed;
    r.moderator = std::move(*moderator);
    r.reason = std::move(*reason);
    r.reply = std::move(*reply);
    if (!seen->empty()) {
        r.seen = store::parseItemState(*seen);
        if (!r.seen) {
            return base::fail("seen: '" + seen->substr(0, 32) + "' is not an item state");
        }
    }
    return r;
}

} // namespace stagecast::app
