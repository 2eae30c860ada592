#include "server/hls/MultiVariant.h"

#include "protocol/hls/MultivariantPlaylist.h"

namespace stagecast::server::hls {

namespace {
constexpr std::string_view kSuffix = "_abr.m3u8";
} // namespace

std::optional<stream::StreamKey> multiVariantSource(std::string_view path) {
    if (!path.starts_with('/') || !path.ends_with(kSuffix)) {
        return std::nullopt;
    }
    auto key = stream::StreamKey::parse(path.substr(1, path.size() - 1 - kSuffix.size()));
    if (!key) {
        return std::nullopt;
    }
    return *key;
}

std::string renderMultiVariant(const std::vector<VariantEntry>& variants,
                               const VariantQuery& query) {
    protocol::hls::MultivariantPlaylist playlist;
    playlist.version = 3; // FRAME-RATE and AVERAGE-BANDWIDTH are attributes of version 1+ text
    playlist.independentSegments = true;
    for (const auto& v : variants) {
        protocol::hls::Variant out;
        out.bandwidth = v.bandwidth;
        if (v.averageBandwidth > 0) {
            out.averageBandwidth = v.averageBandwidth;
        }
        if (v.width > 0 && v.height > 0) {
            out.resolution = protocol::hls::Resolution{v.width, v.height};
        }
        out.codecs = v.codecs;
        if (v.frameRate > 0) {
            out.frameRate = v.frameRate;
        }
        out.uri = v.stream.name() + ".m3u8" + (query ? query(v.stream) : std::string());
        playlist.variants.push_back(std::move(out));
    }
    return playlist.render();
}

base::Result<std::string> MultiVariant::playlist(const stream::StreamKey& source,
                                                 const VariantQuery& query) const {
    auto variants = provider_ ? provider_(source) : std::vector<VariantEntry>{};
    if (variants.empty()) {
        return base::fail("no renditions of " + source.str() +
                          " are live: start a transcode (POST /api/v1/transcodes or a "
                          "[[transcode.rule]])");
    }
    return renderMultiVariant(variants, query);
}

} // namespace stagecast::server::hls
