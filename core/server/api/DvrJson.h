#pragma once
/// GET /api/v1/hls/dvr: every DVR window (hls.dvr_window_seconds) with its figures and, when
/// stopped, the reason.

#include <nlohmann/json_fwd.hpp>

#include "server/hls/DvrStream.h"

namespace stagecast::server::hls {
class HlsService;
}

namespace stagecast::server::api {

nlohmann::json dvrToJson(const hls::DvrStatus& s);
/// {"enabled": bool, "refused": reason or absent, "windows": [...]}.
nlohmann::json dvrWindowsJson(hls::HlsService* service);

} // namespace stagecast::server::api
