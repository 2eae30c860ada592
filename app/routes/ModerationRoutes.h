#pragma once
/// The moderation routes of the control API (bearer token) and of viewer pages (public).
///
/// Moderators (token):
///   GET  /api/v1/moderation/items          ?state=&kind=&stream=&from=&to=&text=&author=
///                                          &order=newest|oldest&after=ID&limit=
///   GET  /api/v1/moderation/items/{id}     the item and its decisions
///   POST /api/v1/moderation/items/{id}/actions  {"action","moderator","reason","reply","seen"}
///   POST /api/v1/moderation/actions        {"ids":[...],"action","moderator","reason"}
///   POST /api/v1/moderation/flags          {"stream","media_time_ms","note","moderator"}
///   GET  /api/v1/moderation/export.csv     the same filters as items
///   GET|PUT /api/v1/moderation/settings/{app}/{name}  {"pre_moderation","allow_anonymous"}
/// Viewers (no token):
///   POST /api/v1/public/streams/{app}/{name}/messages  {"text","name","viewer_id","kind"}
///   GET  /api/v1/public/streams/{app}/{name}/messages  ?after=ID&limit=  published ones
///   POST /api/v1/public/streams/{app}/{name}/questions/{id}/upvote  {"viewer_id"}
///
/// Handlers run on the server's worker pool; each blocks until its write is committed.

#include "moderation/ChatIntake.h"
#include "moderation/ItemStore.h"
#include "moderation/ModerationQueue.h"
#include "server/api/ApiRouter.h"

namespace stagecast::app {

class ModerationRoutes {
public:
    struct Parts {
        moderation::ItemStore& items;
        moderation::ChatIntake& intake;
        moderation::ModerationQueue& queue;
    };

    explicit ModerationRoutes(Parts parts) : p_(parts) {}

    /// Adds the routes to `router`; before the server starts. Must outlive the server.
    void mount(server::api::ApiRouter& router);

    server::api::ApiResponse list(const server::api::ApiRequest& request);
    server::api::ApiResponse item(const server::api::ApiRequest& request);
    server::api::ApiResponse act(const server::api::ApiRequest& request);
    server::api::ApiResponse actMany(const server::api::ApiRequest& request);
    server::api::ApiResponse flag(const server::api::ApiRequest& request);
    server::api::ApiResponse exportCsv(const server::api::ApiRequest& request);
    server::api::ApiResponse settings(const server::api::ApiRequest& request);

    server::api::ApiResponse post(const server::api::ApiRequest& request);
    server::api::ApiResponse published(const server::api::ApiRequest& request);
    server::api::ApiResponse upvote(const server::api::ApiRequest& request);

private:
    Parts p_;
};

} // namespace stagecast::app
