#include "MultivariantPlaylist.h"

#include "PlaylistText.h"

namespace stagecast::protocol::hls {

std::string MultivariantPlaylist::render() const {
    std::string out = "#EXTM3U\n";
    if (version > 0) {
        out += "#EXT-X-VERSION:" + std::to_string(version) + "\n";
    }
    if (independentSegments) {
        out += "#EXT-X-INDEPENDENT-SEGMENTS\n";
    }
    for (const Variant& v : variants) {
        out += "#EXT-X-STREAM-INF:BANDWIDTH=" + std::to_string(v.bandwidth);
        if (v.averageBandwidth) {
            out += ",AVERAGE-BANDWIDTH=" + std::to_string(*v.averageBandwidth);
        }
        if (!v.codecs.empty()) {
            out += ",CODECS=\"" + v.codecs + "\"";
        }
        if (v.resolution) {
            out += ",RESOLUTION=" + std::to_string(v.resolution->width) + "x" +
                   std::to_string(v.resolution->height);
        }
        if (v.frameRate) {
            out += ",FRAME-RATE=" + text::formatFixed3(*v.frameRate);
        }
        out += "\n" + v.uri + "\n";
    }
    return out;
}

} // namespace stagecast::protocol::hls
