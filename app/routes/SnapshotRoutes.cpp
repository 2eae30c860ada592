#include "app/routes/SnapshotRoutes.h"

#include "app/SnapshotWiring.h"

namespace stagecast::app {

namespace api = server::api;

namespace {

api::ApiResponse latestJpeg(const Snapshots& snapshots, const api::ApiRequest& r) {
    // /api/v1/streams/{app}/{name}/snapshot.jpg
    if (r.segments.size() != 6) {
        return api::errorResponse(404, "no such route");
    }
    auto key = stream::StreamKey::make(r.segments[3], r.segments[4]);
    if (!key) {
        return api::errorResponse(400, key.error().message());
    }
    auto bytes = snapshots.store().readLatest(*key);
    if (!bytes) {
        const bool missing = !snapshots.store().latest(*key);
        return api::errorResponse(missing ? 404 : 500,
                                  missing && !snapshots.config().enabled
                                      ? "no snapshot of " + key->str() +
                                            ": snapshots are off ([snapshot] enabled = false)"
                                      : bytes.error().message());
    }
    api::ApiResponse response;
    response.contentType = "image/jpeg";
    response.body.assign(bytes->begin(), bytes->end());
    return response;
}

} // namespace

void mountSnapshotRoutes(api::ApiRouter& router, Snapshots& snapshots) {
    api::ApiMount jpeg;
    jpeg.pattern = "/api/v1/streams/*/*/snapshot.jpg";
    jpeg.methods = {"GET"};
    jpeg.handler = [&snapshots](const api::ApiRequest& r) { return latestJpeg(snapshots, r); };
    router.mount(std::move(jpeg));

    api::ApiMount list;
    list.pattern = "/api/v1/snapshots";
    list.methods = {"GET"};
    list.handler = [&snapshots](const api::ApiRequest&) {
        api::ApiResponse response;
        response.body = snapshots.listing().dump();
        return response;
    };
    router.mount(std::move(list));
}

} // namespace stagecast::app
