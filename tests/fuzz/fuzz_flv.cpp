// Feeds the input to FlvReader in two pieces (split point derived from the bytes) and checks
// that the result matches a single feed; runs the tag-header parsers on every tag body and
// the decoder-configuration parsers on every sequence header.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "protocol/codec/CodecConfig.h"
#include "protocol/flv/Flv.h"

namespace flv = stagecast::protocol::flv;
namespace codec = stagecast::protocol::codec;

namespace {

void inspect(const flv::Tag& tag) {
    const std::span<const std::uint8_t> body(tag.body);
    if (tag.type == flv::TagType::Video) {
        const auto info = flv::parseVideoTag(body);
        if (!info) {
            return;
        }
        if (info->payloadOffset > body.size()) {
            __builtin_trap();
        }
        if (info->kind == flv::VideoPacketKind::SequenceHeader) {
            const auto payload = body.subspan(info->payloadOffset);
            switch (info->codec) {
            case flv::VideoCodec::H264:
                (void)codec::parseAvcConfig(payload);
                break;
            case flv::VideoCodec::Hevc:
                (void)codec::parseHevcConfig(payload);
                break;
            case flv::VideoCodec::Av1:
                (void)codec::parseAv1Config(payload);
                break;
            default:
                break;
            }
        }
    } else if (tag.type == flv::TagType::Audio) {
        const auto info = flv::parseAudioTag(body);
        if (!info) {
            return;
        }
        if (info->payloadOffset > body.size()) {
            __builtin_trap();
        }
        if (info->sequenceHeader) {
            (void)codec::parseAacConfig(body.subspan(info->payloadOffset));
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> input(data, size);
    // Keep allocations far below libFuzzer's RSS limit.
    const flv::FlvReaderLimits limits{1024 * 1024};

    std::size_t sum = 0;
    for (const std::uint8_t b : input) {
        sum += b;
    }
    const std::size_t split = size == 0 ? 0 : sum % (size + 1);

    flv::FlvReader twoPieces(limits);
    std::vector<flv::Tag> tags;
    auto status = twoPieces.feed(input.first(split), tags);
    if (status) {
        status = twoPieces.feed(input.subspan(split), tags);
    }

    flv::FlvReader onePiece(limits);
    std::vector<flv::Tag> reference;
    const auto referenceStatus = onePiece.feed(input, reference);

    // Splitting must not change what comes out, nor whether and how it fails.
    if (status.has_value() != referenceStatus.has_value() || tags.size() != reference.size()) {
        __builtin_trap();
    }
    if (!status && status.error().message() != referenceStatus.error().message()) {
        __builtin_trap();
    }
    for (std::size_t i = 0; i < tags.size(); ++i) {
        if (tags[i].type != reference[i].type || tags[i].timestampMs != reference[i].timestampMs ||
            tags[i].body != reference[i].body) {
            __builtin_trap();
        }
        inspect(tags[i]);
    }
    return 0;
}
