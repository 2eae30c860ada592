#pragma once
/// The control API's recording routes (docs/recording.md):
///
///   GET    /api/v1/recordings                ?stream=&state=&limit=&offset= catalogue, newest
///                                            first (a file being written shows its size and
///                                            duration so far)
///   GET    /api/v1/recordings/{id}           one recording
///   GET    /api/v1/recordings/{id}/file      the file (HEAD too), with byte ranges
///   DELETE /api/v1/recordings/{id}           deletes the file; the row stays, state "deleted"
///   GET    /api/v1/recordings/active         recorders running now, and the disk guard
///   POST   /api/v1/recordings/active         {"stream":"APP/STREAM"} records on demand
///   DELETE /api/v1/recordings/active/{app}/{name}   stops a recorder (file finalised)
///   POST   /api/v1/recordings/{id}/clips     {"from_s":5,"to_s":10,"mode":"copy"|"accurate"}
///                                            starts a clip export (202, the job)
///   GET    /api/v1/clips, /api/v1/clips/{id} clip jobs with state and progress
///   DELETE /api/v1/clips/{id}                cancels a running clip export
///
/// Handlers run on the server's worker pool; the catalogue is read through one read-only
/// store connection of their own.

#include <filesystem>
#include <mutex>
#include <optional>

#include "media/RecordingService.h"
#include "server/api/ApiRouter.h"
#include "store/Recordings.h"
#include "store/StoreReader.h"
#include "store/StoreWriter.h"

namespace stagecast::app {

class ClipJobs;
class Recorders;

class RecordingRoutes {
public:
    struct Parts {
        Recorders& recorders;
        store::StoreWriter& writer;
        media::RecordingService& service;
        ClipJobs& clips;
        std::filesystem::path folder;
    };

    explicit RecordingRoutes(Parts parts) : p_(std::move(parts)) {}

    /// Adds the routes; before the server starts. Must outlive the server.
    void mount(server::api::ApiRouter& router);

    server::api::ApiResponse list(const server::api::ApiRequest& request);
    server::api::ApiResponse one(const server::api::ApiRequest& request);
    server::api::ApiResponse file(const server::api::ApiRequest& request);
    server::api::ApiResponse remove(const server::api::ApiRequest& request);
    server::api::ApiResponse active(const server::api::ApiRequest& request);
    server::api::ApiResponse startOne(const server::api::ApiRequest& request);
    server::api::ApiResponse stopOne(const server::api::ApiRequest& request);
    // Clip exports (ClipRoutes.cpp).
    server::api::ApiResponse startClip(const server::api::ApiRequest& request);
    server::api::ApiResponse clips(const server::api::ApiRequest& request);
    server::api::ApiResponse clip(const server::api::ApiRequest& request);
    server::api::ApiResponse cancelClip(const server::api::ApiRequest& request);

private:
    /// The row named by the id segment, or the error answer (400, 404, 503).
    base::Result<store::Recording> rowOf(const server::api::ApiRequest& request,
                                         server::api::ApiResponse& error);

    Parts p_;
    std::mutex readerMutex_;
    std::optional<store::StoreReader> reader_;
};

} // namespace stagecast::app
