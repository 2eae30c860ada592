#pragma once
/// The transcoder in the running studio: [transcode] rules start a transcode when a matching
/// stream is published (a hub listener), the API starts and stops them on demand, the HLS
/// service's multi-variant playlist (/APP/STREAM_abr.m3u8) is described from their state,
/// and their events go to the "transcodes" WebSocket topic. A transcode that falls behind real
/// time raises the `transcode_behind` alert on its source stream; it is cleared when it
/// catches up or ends.
///
/// Routes (bearer token):
///   GET    /api/v1/transcodes               every transcode, per rendition fps, speed, drops
///   POST   /api/v1/transcodes               {"stream","renditions":[...],"mode"} -> 201
///   DELETE /api/v1/transcodes/{app}/{name}  ends it (its renditions unpublish) -> 204
///
/// Order (app/main.cpp): Transcodes t(cfg, server); t.mount() before server.start();
/// t.stop() before server.stop().

#include <nlohmann/json.hpp>

#include "config/Config.h"
#include "media/transcode/TranscodeManager.h"
#include "monitor/AlertEngine.h"
#include "server/Server.h"
#include "stream/HubEvent.h"

namespace stagecast::app {

class Transcodes : public stream::HubEventListener {
public:
    /// `alerts` gets transcode_behind raised and cleared (it must outlive this object).
    Transcodes(const config::TranscodeConfig& config, server::Server& server,
               monitor::AlertEngine& alerts);
    ~Transcodes() override;
    Transcodes(const Transcodes&) = delete;
    Transcodes& operator=(const Transcodes&) = delete;

    /// Routes, the multi-variant provider and the hub listener. Before server.start().
    void mount();
    /// Ends every transcode. Idempotent.
    void stop();

    void onHubEvent(const stream::HubEvent& event) override;

private:
    server::api::ApiResponse list() const;
    server::api::ApiResponse create(const server::api::ApiRequest& request);
    server::api::ApiResponse remove(const server::api::ApiRequest& request);
    std::vector<server::hls::VariantEntry> variants(const stream::StreamKey& source) const;

    server::Server& server_;
    media::transcode::TranscodeManager manager_;
    bool listening_ = false;
};

/// One transcode as the API shows it.
nlohmann::json transcodeJson(const media::transcode::TranscoderStatus& status);
/// The manager's options from the (validated) configuration.
media::transcode::TranscodeManagerOptions transcodeOptions(const config::TranscodeConfig& config);

} // namespace stagecast::app
