#pragma once
/// The control API's monitoring routes and Prometheus families:
///
///   GET /api/v1/health                              live health of every stream
///   GET /api/v1/streams/{app}/{name}/health         ?from=&to=&points= history, downsampled
///   GET /api/v1/alerts ?state=open|closed|all&stream=&from=&to=&limit= GET /api/v1/viewers live,
///   peak, unique, average watch time GET /api/v1/sessions/publish
///   ?stream=&from=&to=&open=&limit=&offset= GET /api/v1/sessions/viewers                    (same
///   parameters)
///
/// Handlers run on the server's worker pool and read the store through one read-only
/// connection of their own (guarded by a mutex: API reads are rare and short). The metrics
/// producer runs on a network thread and reads in-memory values only.

#include <mutex>
#include <optional>

#include "monitor/AlertEngine.h"
#include "monitor/HealthSampler.h"
#include "monitor/StoreRecorder.h"
#include "monitor/ViewerStats.h"
#include "server/api/ApiRouter.h"
#include "store/StoreReader.h"
#include "store/StoreWriter.h"

namespace stagecast::app {

class MonitorRoutes {
public:
    struct Parts {
        monitor::HealthSampler& sampler;
        monitor::AlertEngine& alerts;
        monitor::ViewerStats& viewers;
        monitor::StoreRecorder& recorder;
        store::StoreWriter& writer;
    };

    explicit MonitorRoutes(Parts parts) : p_(parts) {}

    /// Adds the routes and the metrics to `router`; before the server starts. This object
    /// must outlive the router's use of them (the server's life).
    void mount(server::api::ApiRouter& router);

    server::api::ApiResponse health(const server::api::ApiRequest& request);
    server::api::ApiResponse liveHealth(const server::api::ApiRequest& request);
    server::api::ApiResponse alerts(const server::api::ApiRequest& request);
    server::api::ApiResponse viewers(const server::api::ApiRequest& request);
    server::api::ApiResponse publishSessions(const server::api::ApiRequest& request);
    server::api::ApiResponse viewerSessions(const server::api::ApiRequest& request);
    std::string metrics() const;

private:
    /// Runs `read` with the routes' reader, opening it on first use.
    template <typename Read>
    server::api::ApiResponse withReader(Read read);

    Parts p_;
    std::mutex readerMutex_;
    std::optional<store::StoreReader> reader_;
};

} // namespace stagecast::app
