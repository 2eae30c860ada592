#include "app/routes/ModerationRoutes.h"

#include <charconv>
#include <sstream>

#include "app/routes/ModerationJson.h"

namespace stagecast::app {

namespace api = server::api;
using nlohmann::json;

namespace {

constexpr std::size_t kMaxListLimit = 500;

base::Result<std::int64_t> idSegment(const api::ApiRequest& request, std::size_t index) {
    if (request.segments.size() <= index) {
        return base::fail("missing item id");
    }
    const auto& text = request.segments[index];
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc{} || end != text.data() + text.size() || id <= 0) {
        return base::fail("item id: '" + text.substr(0, 32) + "' is not a positive number");
    }
    return id;
}

api::ApiResponse bad(const base::Error& error) {
    return api::errorResponse(400, error.message());
}

} // namespace

void ModerationRoutes::mount(api::ApiRouter& router) {
    using Handler = api::ApiResponse (ModerationRoutes::*)(const api::ApiRequest&);
    const auto add = [&](std::string pattern, std::vector<std::string> methods, Handler handler,
                         bool token) {
        api::ApiMount m;
        m.pattern = std::move(pattern);
        m.methods = std::move(methods);
        m.handler = [this, handler](const api::ApiRequest& r) { return (this->*handler)(r); };
        m.requireToken = token;
        m.maxBodyBytes = token ? 256 * 1024 : 16 * 1024;
        router.mount(std::move(m));
    };
    add("/api/v1/moderation/items", {"GET"}, &ModerationRoutes::list, true);
    add("/api/v1/moderation/items/*", {"GET"}, &ModerationRoutes::item, true);
    add("/api/v1/moderation/items/*/actions", {"POST"}, &ModerationRoutes::act, true);
    add("/api/v1/moderation/actions", {"POST"}, &ModerationRoutes::actMany, true);
    add("/api/v1/moderation/flags", {"POST"}, &ModerationRoutes::flag, true);
    add("/api/v1/moderation/export.csv", {"GET"}, &ModerationRoutes::exportCsv, true);
    add("/api/v1/moderation/settings/*/*", {"GET", "PUT"}, &ModerationRoutes::settings, true);
    add("/api/v1/public/streams/*/*/messages", {"GET", "POST"}, &ModerationRoutes::post, false);
    add("/api/v1/public/streams/*/*/questions/*/upvote", {"POST"}, &ModerationRoutes::upvote,
        false);
}

api::ApiResponse ModerationRoutes::list(const api::ApiRequest& request) {
    auto filter = moderationFilter(request.query, kMaxListLimit);
    if (!filter) {
        return bad(filter.error());
    }
    auto items = p_.items.list(*filter);
    if (!items) {
        return errorOf(items.error());
    }
    json out = json::array();
    for (const auto& i : *items) {
        out.push_back(toJson(i));
    }
    json body = {{"items", out}};
    // Keyset paging: the next page starts after the last id of this one.
    body["next_after"] = items->size() == filter->limit ? json(items->back().id) : json(nullptr);
    return jsonAnswer(200, body);
}

api::ApiResponse ModerationRoutes::item(const api::ApiRequest& request) {
    auto id = idSegment(request, 4);
    if (!id) {
        return bad(id.error());
    }
    auto found = p_.items.find(*id);
    if (!found) {
        return errorOf(found.error());
    }
    if (!*found) {
        return api::errorResponse(404, "no moderation item " + std::to_string(*id));
    }
    auto decisions = p_.items.decisions(*id);
    if (!decisions) {
        return errorOf(decisions.error());
    }
    json body = toJson(**found);
    body["decisions"] = json::array();
    for (const auto& d : *decisions) {
        body["decisions"].push_back(toJson(d));
    }
    return jsonAnswer(200, body);
}

api::ApiResponse ModerationRoutes::act(const api::ApiRequest& request) {
    auto id = idSegment(request, 4);
    auto body = objectBody(request);
    if (!id || !body) {
        return bad(!id ? id.error() : body.error());
    }
    auto action = actionRequest(*body);
    if (!action) {
        return bad(action.error());
    }
    action->itemId = *id;
    auto outcome = p_.queue.act(*action);
    if (!outcome) {
        return errorOf(outcome.error());
    }
    json answer = {{"item", toJson(outcome->item)}, {"decision_id", outcome->decisionId}};
    if (outcome->reply) {
        answer["reply"] = toJson(*outcome->reply);
    }
    return jsonAnswer(200, answer);
}

api::ApiResponse ModerationRoutes::actMany(const api::ApiRequest& request) {
    auto body = objectBody(request);
    if (!body) {
        return bad(body.error());
    }
    auto action = actionRequest(*body);
    if (!action) {
        return bad(action.error());
    }
    const auto ids = body->find("ids");
    if (ids == body->end() || !ids->is_array() || ids->empty()) {
        return api::errorResponse(400, "ids: expected a non-empty array of item ids");
    }
    std::vector<std::int64_t> list;
    for (const auto& v : *ids) {
        if (!v.is_number_integer() || v.get<std::int64_t>() <= 0) {
            return api::errorResponse(400, "ids: every entry must be a positive item id");
        }
        list.push_back(v.get<std::int64_t>());
    }
    auto results = p_.queue.actMany(list, *action);
    if (!results) {
        return errorOf(results.error());
    }
    json out = json::array();
    std::size_t done = 0;
    for (const auto& r : *results) {
        if (r.outcome) {
            ++done;
            out.push_back({{"id", r.itemId}, {"ok", true}, {"item", toJson(r.outcome->item)}});
        } else {
            out.push_back({{"id", r.itemId}, {"ok", false}, {"error", r.outcome.error().message}});
        }
    }
    return jsonAnswer(200, {{"results", out}, {"done", done}, {"failed", list.size() - done}});
}

api::ApiResponse ModerationRoutes::flag(const api::ApiRequest& request) {
    auto body = objectBody(request);
    if (!body) {
        return bad(body.error());
    }
    auto stream = stringMember(*body, "stream");
    auto note = stringMember(*body, "note");
    auto moderator = stringMember(*body, "moderator");
    for (const auto* value : {&stream, &note, &moderator}) {
        if (!*value) {
            return bad(value->error());
        }
    }
    std::optional<std::chrono::milliseconds> at;
    if (auto t = body->find("media_time_ms"); t != body->end() && !t->is_null()) {
        if (!t->is_number_integer() || t->get<std::int64_t>() < 0) {
            return api::errorResponse(400, "media_time_ms: expected a whole number >= 0");
        }
        at = std::chrono::milliseconds(t->get<std::int64_t>());
    }
    auto slash = stream->find('/');
    auto checked = moderation::checkedStream(std::string_view(*stream).substr(0, slash),
                                             slash == std::string::npos
                                                 ? std::string_view{}
                                                 : std::string_view(*stream).substr(slash + 1));
    if (!checked) {
        return errorOf(checked.error());
    }
    auto item = p_.queue.flag(*checked, at, *note, *moderator);
    if (!item) {
        return errorOf(item.error());
    }
    return jsonAnswer(201, toJson(*item));
}

api::ApiResponse ModerationRoutes::exportCsv(const api::ApiRequest& request) {
    auto filter = moderationFilter(request.query, kMaxListLimit);
    if (!filter) {
        return bad(filter.error());
    }
    std::ostringstream out;
    auto rows = p_.items.exportCsv(*filter, out);
    if (!rows) {
        return errorOf(rows.error());
    }
    api::ApiResponse r;
    r.contentType = "text/csv; charset=utf-8";
    r.body = out.str();
    return r;
}

api::ApiResponse ModerationRoutes::settings(const api::ApiRequest& request) {
    auto stream = moderation::checkedStream(request.segments.at(4), request.segments.at(5));
    if (!stream) {
        return errorOf(stream.error());
    }
    auto current = p_.intake.settings(*stream);
    if (request.method == "PUT") {
        auto body = objectBody(request);
        if (!body) {
            return bad(body.error());
        }
        for (auto [name, target] : {std::pair{"pre_moderation", &current.preModeration},
                                    std::pair{"allow_anonymous", &current.allowAnonymous}}) {
            if (auto it = body->find(name); it != body->end()) {
                if (!it->is_boolean()) {
                    return api::errorResponse(400, std::string(name) + ": expected true or false");
                }
                *target = it->get<bool>();
            }
        }
        p_.intake.setSettings(*stream, current);
    }
    return jsonAnswer(200, {{"stream", *stream},
                            {"pre_moderation", current.preModeration},
                            {"allow_anonymous", current.allowAnonymous}});
}

} // namespace stagecast::app
