#include "director/VideoEncoderChoice.h"

#include <algorithm>
#include <array>

namespace stagecast::director {

namespace {

struct Family {
    std::string_view name;
    std::vector<std::string> ids; // best first: OBS 29's texture encoders before the older ones
};

const std::vector<Family>& families() {
    static const std::vector<Family> all{
        {"x264", {kX264EncoderId}},
        {"nvenc", {"jim_nvenc", "ffmpeg_nvenc"}},
        {"qsv", {"obs_qsv11_v2", "obs_qsv11"}},
        {"amf", {"h264_texture_amf", "amd_amf_h264"}},
        {"vaapi", {"ffmpeg_vaapi_tex", "ffmpeg_vaapi"}},
        {"videotoolbox",
         {"com.apple.videotoolbox.videoencoder.ave.avc",
          "com.apple.videotoolbox.videoencoder.h264.gva",
          "com.apple.videotoolbox.videoencoder.h264"}},
    };
    return all;
}

bool has(const std::vector<std::string>& list, const std::string& id) {
    return std::find(list.begin(), list.end(), id) != list.end();
}

std::string firstAvailable(const std::vector<std::string>& ids,
                           const std::vector<std::string>& available) {
    for (const auto& id : ids) {
        if (has(available, id)) {
            return id;
        }
    }
    return {};
}

std::string listed(const std::vector<std::string>& available) {
    std::string out;
    for (const auto& id : available) {
        out += (out.empty() ? "" : ", ") + id;
    }
    return out.empty() ? "none" : out;
}

} // namespace

std::vector<std::string> encoderIdsFor(std::string_view name) {
    for (const auto& f : families()) {
        if (f.name == name) {
            return f.ids;
        }
    }
    return {};
}

EncoderChoice chooseVideoEncoder(const std::string& wanted,
                                 const std::vector<std::string>& available) {
    if (wanted == "auto") {
        constexpr std::array<std::string_view, 5> kHardware{"nvenc", "qsv", "amf", "vaapi",
                                                            "videotoolbox"};
        for (const auto family : kHardware) {
            if (auto id = firstAvailable(encoderIdsFor(family), available); !id.empty()) {
                return {id, {}};
            }
        }
        return {kX264EncoderId, {}};
    }
    const auto ids = encoderIdsFor(wanted);
    std::string id = ids.empty() ? (has(available, wanted) ? wanted : std::string())
                                 : firstAvailable(ids, available);
    if (!id.empty()) {
        return {id, {}};
    }
    return {kX264EncoderId, "video_encoder '" + wanted +
                                "' is not offered by libobs on this machine (H.264 encoders: " +
                                listed(available) + "); the program uses x264"};
}

std::string obsRateControl(std::string_view rateControl) {
    return rateControl == "vbr" ? "VBR" : "CBR";
}

} // namespace stagecast::director
