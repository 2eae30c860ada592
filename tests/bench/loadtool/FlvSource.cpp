#include "FlvSource.h"

#include <algorithm>
#include <fstream>
#include <iterator>

namespace stagecast::load {

namespace flv = protocol::flv;

namespace {

bool isConfig(const flv::Tag& tag) {
    if (tag.type == flv::TagType::Video) {
        auto info = flv::parseVideoTag(tag.body);
        return info && info->kind == flv::VideoPacketKind::SequenceHeader;
    }
    if (tag.type == flv::TagType::Audio) {
        auto info = flv::parseAudioTag(tag.body);
        return info && info->sequenceHeader;
    }
    return true; // script data (onMetaData)
}

} // namespace

base::Result<FlvSource> loadFlvFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return base::fail("cannot open FLV file '" + path + "'");
    }
    std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                    std::istreambuf_iterator<char>());
    flv::FlvReader reader;
    std::vector<flv::Tag> tags;
    if (auto ok = reader.feed(bytes, tags); !ok) {
        return base::fail(ok.error().withContext(path));
    }
    if (tags.empty()) {
        return base::fail("FLV file '" + path + "' holds no tags");
    }
    FlvSource out;
    const std::uint32_t first = tags.front().timestampMs;
    std::uint32_t last = 0;
    std::uint32_t previousVideo = 0;
    std::uint32_t frameMs = 0;
    for (auto& tag : tags) {
        SourceTag t;
        t.type = tag.type;
        t.timestampMs = tag.timestampMs >= first ? tag.timestampMs - first : 0;
        t.startOnly = isConfig(tag);
        if (t.type == flv::TagType::Video && !t.startOnly) {
            if (out.videoFrames > 0 && t.timestampMs > previousVideo) {
                frameMs = std::max(frameMs, t.timestampMs - previousVideo);
            }
            previousVideo = t.timestampMs;
            ++out.videoFrames;
        }
        last = std::max(last, t.timestampMs);
        t.body = std::move(tag.body);
        out.tags.push_back(std::move(t));
    }
    if (out.videoFrames == 0) {
        return base::fail("FLV file '" + path + "' holds no video frames: latency needs video");
    }
    out.loopDurationMs = last + std::max<std::uint32_t>(frameMs, 1);
    return out;
}

} // namespace stagecast::load
