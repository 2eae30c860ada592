// The viewer-facing half of ModerationRoutes: posting chat and questions, reading what is
// published, upvoting questions. Public (no token): every input is bounded and checked, and
// answers never say which rule matched.

#include <charconv>

#include "app/routes/ModerationJson.h"
#include "app/routes/ModerationRoutes.h"

namespace stagecast::app {

namespace api = server::api;
using moderation::PostOutcome;
using nlohmann::json;

namespace {

constexpr std::size_t kMaxPublicPage = 200;

base::Result<std::string> streamOf(const api::ApiRequest& request) {
    auto stream = moderation::checkedStream(request.segments.at(4), request.segments.at(5));
    if (!stream) {
        return base::fail(stream.error().message);
    }
    return *stream;
}

} // namespace

api::ApiResponse ModerationRoutes::post(const api::ApiRequest& request) {
    if (request.method == "GET") {
        return published(request);
    }
    auto stream = streamOf(request);
    if (!stream) {
        return api::errorResponse(400, stream.error().message());
    }
    auto body = objectBody(request);
    if (!body) {
        return api::errorResponse(400, body.error().message());
    }
    auto text = stringMember(*body, "text");
    auto name = stringMember(*body, "name");
    auto viewer = stringMember(*body, "viewer_id");
    auto kind = stringMember(*body, "kind", "chat");
    for (const auto* value : {&text, &name, &viewer, &kind}) {
        if (!*value) {
            return api::errorResponse(400, value->error().message());
        }
    }
    moderation::PostRequest post;
    post.stream = *stream;
    if (*kind == "chat") {
        post.kind = store::ItemKind::Chat;
    } else if (*kind == "question") {
        post.kind = store::ItemKind::Question;
    } else {
        return api::errorResponse(400, "kind: '" + kind->substr(0, 32) +
                                           "' is not one of chat, question");
    }
    post.text = std::move(*text);
    post.name = std::move(*name);
    post.viewerId = std::move(*viewer);
    post.address = request.address;
    auto outcome = p_.intake.post(post);
    if (!outcome) {
        return errorOf(outcome.error());
    }
    json answer = {{"status", moderation::toString(outcome->status)},
                   {"message", outcome->viewerMessage}};
    switch (outcome->status) {
    case PostOutcome::Status::RateLimited: {
        answer["error"] = outcome->viewerMessage;
        answer["retry_after_ms"] = outcome->retryAfter.count();
        return jsonAnswer(429, answer);
    }
    case PostOutcome::Status::Published:
        answer["item"] = publicJson(*outcome->item);
        return jsonAnswer(201, answer);
    case PostOutcome::Status::Held:
        answer["id"] = outcome->item->id;
        return jsonAnswer(202, answer);
    case PostOutcome::Status::Rejected:
        return jsonAnswer(200, answer);
    }
    return jsonAnswer(200, answer);
}

api::ApiResponse ModerationRoutes::published(const api::ApiRequest& request) {
    auto stream = streamOf(request);
    if (!stream) {
        return api::errorResponse(400, stream.error().message());
    }
    // Only what viewers may see: published chat and questions of this stream, oldest first.
    auto filter = moderationFilter(request.query, kMaxPublicPage);
    if (!filter) {
        return api::errorResponse(400, filter.error().message());
    }
    store::ModerationFilter f;
    f.stream = *stream;
    f.states = {store::ItemState::Approved, store::ItemState::Answered};
    f.kinds = {store::ItemKind::Chat, store::ItemKind::Question};
    f.order = store::SortOrder::OldestFirst;
    f.afterId = filter->afterId;
    f.limit = filter->limit;
    auto items = p_.items.list(f);
    if (!items) {
        return errorOf(items.error());
    }
    json out = json::array();
    for (const auto& i : *items) {
        out.push_back(publicJson(i));
    }
    return jsonAnswer(200, {{"stream", *stream},
                            {"messages", out},
                            {"next_after", items->empty() ? json(filter->afterId.value_or(0))
                                                          : json(items->back().id)}});
}

api::ApiResponse ModerationRoutes::upvote(const api::ApiRequest& request) {
    auto stream = streamOf(request);
    if (!stream) {
        return api::errorResponse(400, stream.error().message());
    }
    const auto& idText = request.segments.at(7);
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(idText.data(), idText.data() + idText.size(), id);
    if (ec != std::errc{} || end != idText.data() + idText.size() || id <= 0) {
        return api::errorResponse(400, "question id: '" + idText.substr(0, 32) +
                                           "' is not a positive number");
    }
    auto body = objectBody(request);
    if (!body) {
        return api::errorResponse(400, body.error().message());
    }
    auto viewer = stringMember(*body, "viewer_id");
    if (!viewer) {
        return api::errorResponse(400, viewer.error().message());
    }
    auto voter = viewer->empty() ? request.address : *viewer;
    auto outcome = p_.queue.upvote(*stream, id, voter, request.address);
    if (!outcome) {
        return errorOf(outcome.error());
    }
    return jsonAnswer(200, {{"item", publicJson(outcome->item)}, {"counted", outcome->counted}});
}

} // namespace stagecast::app
