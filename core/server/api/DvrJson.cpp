#include "DvrJson.h"

#include <nlohmann/json.hpp>

#include "server/hls/HlsService.h"

namespace stagecast::server::api {

using nlohmann::json;

json dvrToJson(const hls::DvrStatus& s) {
    json j = {
        {"stream", s.stream},
        {"id", s.id},
        {"state", s.recording ? "recording" : "stopped"},
        {"segments", s.segments},
        {"bytes", s.bytes},
        {"seconds", s.seconds},
        {"first_sequence", s.firstSequence},
        {"next_sequence", s.nextSequence},
        {"files_written", s.written},
        {"segments_evicted", s.evicted},
        {"disk_reads_queued", s.readsQueued},
        {"disk_reads_refused", s.readsRefused},
        {"folder", s.folder},
    };
    if (!s.recording) {
        j["reason"] = s.reason;
    }
    return j;
}

json dvrWindowsJson(hls::HlsService* service) {
    json windows = json::array();
    auto* dvr = service != nullptr ? service->dvr() : nullptr;
    if (dvr != nullptr) {
        for (const auto& s : dvr->statuses()) {
            windows.push_back(dvrToJson(s));
        }
    }
    json j = {{"enabled", dvr != nullptr}, {"windows", windows}};
    if (service != nullptr && !service->dvrRefusal().empty()) {
        j["refused"] = service->dvrRefusal();
    }
    return j;
}

} // namespace stagecast::server::api
