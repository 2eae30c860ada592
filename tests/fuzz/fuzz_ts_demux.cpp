// TsDemuxer on arbitrary bytes, fed in two pieces (split point derived from the input), and
// checks that the result matches a single feed; every emitted body must parse as an FLV
// audio/video tag body, and every config must satisfy the codec-config parsers or at least
// not crash them. Inputs starting with "ES" exercise the elementary-stream stages directly
// (Annex B / ADTS from the bytes), which random TS rarely reaches.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "protocol/codec/CodecConfig.h"
#include "protocol/flv/Flv.h"
#include "protocol/mpegts/DemuxAdts.h"
#include "protocol/mpegts/DemuxVideo.h"
#include "protocol/mpegts/TsDemuxer.h"

namespace mpegts = stagecast::protocol::mpegts;
namespace flv = stagecast::protocol::flv;
namespace codec = stagecast::protocol::codec;

namespace {

void check(const std::vector<mpegts::DemuxedPacket>& packets) {
    for (const auto& p : packets) {
        const std::span<const std::uint8_t> body(p.flvBody);
        if (p.kind == mpegts::DemuxedPacket::Kind::Video) {
            const auto info = flv::parseVideoTag(body);
            if (!info || info->payloadOffset > body.size()) {
                __builtin_trap(); // the demuxer wrote a body its own reader rejects
            }
            if (p.config) {
                const auto record = body.subspan(info->payloadOffset);
                (void)(info->codec == flv::VideoCodec::H264 ? codec::parseAvcConfig(record)
                                                            : codec::parseHevcConfig(record));
            }
        } else {
            const auto info = flv::parseAudioTag(body);
            if (!info || info->codec != flv::AudioCodec::Aac) {
                __builtin_trap();
            }
            if (p.config) {
                (void)codec::parseAacConfig(body.subspan(info->payloadOffset));
            }
        }
    }
}

bool same(const std::vector<mpegts::DemuxedPacket>& a,
          const std::vector<mpegts::DemuxedPacket>& b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].kind != b[i].kind || a[i].dtsMs != b[i].dtsMs || a[i].ctsMs != b[i].ctsMs ||
            a[i].keyframe != b[i].keyframe || a[i].config != b[i].config ||
            a[i].flvBody != b[i].flvBody) {
            return false;
        }
    }
    return true;
}

void elementaryStreams(std::span<const std::uint8_t> data) {
    using namespace mpegts::demux;
    std::vector<mpegts::DemuxedPacket> out;
    // Up to three access units / PES payloads, split at bytes 0xFE 0xFE.
    DemuxVideoTrack h264(VideoCodecKind::H264);
    DemuxVideoTrack hevc(VideoCodecKind::Hevc);
    DemuxAudioTrack aac;
    std::size_t start = 0;
    std::int64_t dts = 0;
    for (std::size_t i = 0; i <= data.size(); ++i) {
        if (i == data.size() || (i + 1 < data.size() && data[i] == 0xFE && data[i + 1] == 0xFE)) {
            const auto unit = data.subspan(start, i - start);
            h264.accessUnit(unit, dts, 40, out);
            hevc.accessUnit(unit, dts, -40, out);
            aac.pes(unit, dts * 90, out);
            dts += 40;
            start = i + 2 < data.size() ? i + 2 : data.size();
            ++i;
        }
    }
    check(out);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> input(data, size);
    if (size >= 2 && data[0] == 'E' && data[1] == 'S') {
        elementaryStreams(input.subspan(2));
        return 0;
    }
    mpegts::TsDemuxerLimits limits;
    limits.maxPesBytes = 64 * 1024; // keep the fuzzer's memory small
    limits.maxResyncBytes = 4096;

    mpegts::TsDemuxer whole(limits);
    std::vector<mpegts::DemuxedPacket> a;
    const bool okWhole = whole.feed(input, a).has_value();
    whole.flush(a);

    const std::size_t split = size == 0 ? 0 : (data[0] * 131U + size / 3) % (size + 1);
    mpegts::TsDemuxer pieces(limits);
    std::vector<mpegts::DemuxedPacket> b;
    bool okPieces = pieces.feed(input.first(split), b).has_value();
    okPieces = pieces.feed(input.subspan(split), b).has_value() && okPieces;
    pieces.flush(b);

    if (okWhole != okPieces || (okWhole && !same(a, b))) {
        __builtin_trap(); // the result must not depend on how the bytes arrive
    }
    check(a);
    const auto s = whole.stats();
    if (s.packets * 188 + s.resyncBytes > size) {
        __builtin_trap();
    }
    return 0;
}
