#include "media/snapshot/SnapshotManager.h"

namespace stagecast::media::snapshot {

namespace {

stream::StreamWorkersOptions workersOptions(const SnapshotManagerOptions& options) {
    return {.maxWorkers = options.maxStreams,
            .followPublished = true,
            .notFollowed = {},
            .lingerAfterUnpublish = options.lingerAfterUnpublish,
            .reconcileEvery = options.reconcileEvery,
            .logModule = "snapshot",
            .what = "snapshots"};
}

} // namespace

SnapshotManager::SnapshotManager(stream::Hub& hub, SnapshotStore& store,
                                 SnapshotManagerOptions options)
    : workers_(hub, workersOptions(options),
               [&hub, &store, runner = options.runner](
                   const stream::StreamKey& key) -> std::unique_ptr<stream::StreamWorker> {
                   return std::make_unique<SnapshotRunner>(hub, key, store, runner);
               }) {}

std::optional<SnapshotStatus> SnapshotManager::status(const stream::StreamKey& key) const {
    std::optional<SnapshotStatus> out;
    workers_.visit(key, [&](const stream::StreamWorker& worker) {
        out = static_cast<const SnapshotRunner&>(worker).status();
    });
    return out;
}

} // namespace stagecast::media::snapshot
