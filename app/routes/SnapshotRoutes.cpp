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

// Label values escape backslash, quote and newline (exposition format 0.0.4).
std::string labelValue(const std::string& v) {
    std::string out;
    for (char c : v) {
        if (c == '\\' || c == '"') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

std::string metrics(const Snapshots& snapshots) {
    const auto rows = snapshots.counters();
    if (rows.empty()) {
        return {};
    }
    std::string written = "# HELP stagecast_snapshots_written_total Snapshots written per stream.\n"
                          "# TYPE stagecast_snapshots_written_total counter\n";
    std::string failed = "# HELP stagecast_snapshot_failures_total Snapshots not taken, by step "
                         "(decode: decode or encode; write: the file).\n"
                         "# TYPE stagecast_snapshot_failures_total counter\n";
    for (const auto& [stream, s] : rows) {
        const std::string label = "stream=\"" + labelValue(stream) + "\"";
        written +=
            "stagecast_snapshots_written_total{" + label + "} " + std::to_string(s.written) + "\n";
        failed += "stagecast_snapshot_failures_total{" + label + ",step=\"decode\"} " +
                  std::to_string(s.decodeFailures) + "\n";
        failed += "stagecast_snapshot_failures_total{" + label + ",step=\"write\"} " +
                  std::to_string(s.writeFailures) + "\n";
    }
    return written + failed;
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
    router.addMetrics([&snapshots] { return metrics(snapshots); });
}

} // namespace stagecast::app
