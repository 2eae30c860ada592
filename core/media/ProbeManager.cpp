#include "ProbeManager.h"

namespace stagecast::media {

namespace {

stream::StreamWorkersOptions workersOptions(const ProbeManagerOptions& options) {
    return {.maxWorkers = options.maxProbes,
            .followPublished = options.followPublished,
            .notFollowed = options.notFollowed,
            .lingerAfterUnpublish = options.lingerAfterUnpublish,
            .reconcileEvery = options.reconcileEvery,
            .logModule = "probe",
            .what = "probe"};
}

} // namespace

ProbeManager::ProbeManager(stream::Hub& hub, ProbeManagerOptions options, SampleCallback onSample)
    : workers_(hub, workersOptions(options),
               [&hub, runner = options.runner, onSample = std::move(onSample)](
                   const stream::StreamKey& key) -> std::unique_ptr<stream::StreamWorker> {
                   return std::make_unique<ProbeRunner>(hub, key, runner, onSample);
               }) {}

std::optional<ProbeRunnerStatus> ProbeManager::status(const stream::StreamKey& key) const {
    std::optional<ProbeRunnerStatus> out;
    workers_.visit(key, [&](const stream::StreamWorker& worker) {
        out = static_cast<const ProbeRunner&>(worker).status();
    });
    return out;
}

} // namespace stagecast::media
