#include "Flv.h"

#include <array>
#include <string>

namespace stagecast::protocol::flv {
namespace {

// Enhanced RTMP v1, "ExVideoTagHeader".
constexpr std::uint8_t kExHeaderBit = 0x80;
constexpr std::uint8_t kFrameTypeKey = 1;
constexpr std::uint8_t kFrameTypeCommand = 5;

enum class ExPacketType : std::uint8_t {
    SequenceStart = 0,
    CodedFrames = 1,
    SequenceEnd = 2,
    CodedFramesX = 3,
    Metadata = 4,
    Mpeg2TsSequenceStart = 5,
    Multitrack = 6, // enhanced-rtmp v2
    ModEx = 7,      // enhanced-rtmp v2
};

constexpr std::uint32_t fourCc(char a, char b, char c, char d) {
    return (std::uint32_t{static_cast<std::uint8_t>(a)} << 24) |
           (std::uint32_t{static_cast<std::uint8_t>(b)} << 16) |
           (std::uint32_t{static_cast<std::uint8_t>(c)} << 8) |
           std::uint32_t{static_cast<std::uint8_t>(d)};
}

std::int32_t readSi24(std::span<const std::uint8_t> p) {
    const std::uint32_t raw =
        (std::uint32_t{p[0]} << 16) | (std::uint32_t{p[1]} << 8) | std::uint32_t{p[2]};
    // Sign-extend from 24 bits.
    return static_cast<std::int32_t>(raw ^ 0x800000U) - 0x800000;
}

base::Result<VideoTagInfo> tooShort(const char* what, std::size_t size, std::size_t need) {
    return base::fail(std::string("flv: ") + what + " truncated: " + std::to_string(size) +
                      " bytes, need at least " + std::to_string(need));
}

base::Status checkFrameType(std::uint8_t frameType) {
    if (frameType == 0 || frameType > kFrameTypeCommand) {
        return base::fail("flv: video frame type " + std::to_string(frameType) +
                          " invalid, allowed 1..5");
    }
    return {};
}

// Enhanced RTMP v1 ExVideoTagHeader: [1][FrameType:3][PacketType:4] then a FourCC.
base::Result<VideoTagInfo> parseEnhancedVideo(std::span<const std::uint8_t> body) {
    VideoTagInfo info;
    info.enhanced = true;
    const auto frameType = static_cast<std::uint8_t>((body[0] >> 4) & 0x07);
    const auto packetType = static_cast<ExPacketType>(body[0] & 0x0F);
    if (auto ok = checkFrameType(frameType); !ok) {
        return base::fail(ok.error());
    }
    info.keyframe = frameType == kFrameTypeKey;
    if (frameType == kFrameTypeCommand && packetType != ExPacketType::Metadata) {
        // A command frame carries a one-byte VideoCommand instead of a FourCC.
        info.kind = VideoPacketKind::Other;
        info.payloadOffset = 1;
        return info;
    }
    constexpr std::size_t kHeaderSize = 5;
    if (body.size() < kHeaderSize) {
        return tooShort("enhanced video tag", body.size(), kHeaderSize);
    }
    const std::uint32_t codec = fourCc(static_cast<char>(body[1]), static_cast<char>(body[2]),
                                       static_cast<char>(body[3]), static_cast<char>(body[4]));
    bool hasCompositionTime = false;
    if (codec == fourCc('h', 'v', 'c', '1')) {
        info.codec = VideoCodec::Hevc;
        hasCompositionTime = true;
    } else if (codec == fourCc('a', 'v', 'c', '1')) {
        // Enhanced RTMP v2 also allows AVC under the extended header.
        info.codec = VideoCodec::H264;
        hasCompositionTime = true;
    } else if (codec == fourCc('a', 'v', '0', '1')) {
        info.codec = VideoCodec::Av1;
    } else if (codec == fourCc('v', 'p', '0', '9')) {
        info.codec = VideoCodec::Vp9;
    }
    info.payloadOffset = kHeaderSize;
    switch (packetType) {
    case ExPacketType::SequenceStart:
        info.kind = VideoPacketKind::SequenceHeader;
        break;
    case ExPacketType::CodedFrames:
        info.kind = VideoPacketKind::CodedFrames;
        if (hasCompositionTime) {
            constexpr std::size_t kWithCts = kHeaderSize + 3;
            if (body.size() < kWithCts) {
                return tooShort("enhanced video CodedFrames tag", body.size(), kWithCts);
            }
            info.compositionTime = readSi24(body.subspan(kHeaderSize, 3));
            info.payloadOffset = kWithCts;
        }
        break;
    case ExPacketType::SequenceEnd:
        info.kind = VideoPacketKind::EndOfSequence;
        break;
    case ExPacketType::CodedFramesX:
        // CodedFrames with an implied composition time of 0.
        info.kind = VideoPacketKind::CodedFrames;
        break;
    case ExPacketType::Metadata:
        info.kind = VideoPacketKind::Metadata;
        break;
    case ExPacketType::Mpeg2TsSequenceStart:
        // Carries an MPEG-2 TS descriptor, not the ISOBMFF config record.
        info.kind = VideoPacketKind::Other;
        break;
    case ExPacketType::Multitrack:
    case ExPacketType::ModEx:
        return base::fail("flv: enhanced video packet type " +
                          std::to_string(static_cast<int>(packetType)) +
                          " (enhanced-rtmp v2 multitrack/ModEx) unsupported, allowed 0..5");
    default:
        return base::fail("flv: enhanced video packet type " +
                          std::to_string(static_cast<int>(packetType)) + " reserved, allowed 0..5");
    }
    return info;
}

} // namespace

base::Result<VideoTagInfo> parseVideoTag(std::span<const std::uint8_t> body) {
    if (body.empty()) {
        return base::fail("flv: video tag body empty, need at least 1 byte");
    }
    if ((body[0] & kExHeaderBit) != 0) {
        return parseEnhancedVideo(body);
    }
    // Legacy VideoTagHeader, FLV 10.1 E.4.3.1: [FrameType:4][CodecID:4].
    constexpr std::uint8_t kCodecAvc = 7;
    constexpr std::uint8_t kCodecHevc = 12; // de-facto extension (SRS, Chinese CDNs)
    const auto frameType = static_cast<std::uint8_t>(body[0] >> 4);
    const auto codecId = static_cast<std::uint8_t>(body[0] & 0x0F);
    if (auto ok = checkFrameType(frameType); !ok) {
        return base::fail(ok.error());
    }
    VideoTagInfo info;
    info.keyframe = frameType == kFrameTypeKey;
    info.codec = codecId == kCodecAvc    ? VideoCodec::H264
                 : codecId == kCodecHevc ? VideoCodec::Hevc
                                         : VideoCodec::Unknown;
    info.payloadOffset = 1;
    if (frameType == kFrameTypeCommand) {
        info.kind = VideoPacketKind::Other;
        return info;
    }
    if (info.codec == VideoCodec::Unknown) {
        // Sorenson, VP6, screen video: the frame follows the one-byte header directly.
        info.kind = VideoPacketKind::CodedFrames;
        return info;
    }
    // AVCPacketType (UI8) and CompositionTime (SI24), E.4.3.1.
    constexpr std::size_t kHeaderSize = 5;
    if (body.size() < kHeaderSize) {
        return tooShort(info.codec == VideoCodec::H264 ? "AVC video tag" : "HEVC video tag",
                        body.size(), kHeaderSize);
    }
    switch (body[1]) {
    case 0:
        info.kind = VideoPacketKind::SequenceHeader;
        break;
    case 1:
        info.kind = VideoPacketKind::CodedFrames;
        info.compositionTime = readSi24(body.subspan(2, 3));
        break;
    case 2:
        info.kind = VideoPacketKind::EndOfSequence;
        break;
    default:
        return base::fail("flv: AVC/HEVC packet type " + std::to_string(body[1]) +
                          " invalid, allowed 0..2");
    }
    info.payloadOffset = kHeaderSize;
    return info;
}

base::Result<AudioTagInfo> parseAudioTag(std::span<const std::uint8_t> body) {
    if (body.empty()) {
        return base::fail("flv: audio tag body empty, need at least 1 byte");
    }
    // AudioTagHeader, FLV 10.1 E.4.2.1:
    // [SoundFormat:4][SoundRate:2][SoundSize:1][SoundType:1].
    static constexpr std::array<std::uint32_t, 4> kRates = {5512, 11025, 22050, 44100};
    AudioTagInfo info;
    info.soundFormat = static_cast<std::uint8_t>(body[0] >> 4);
    info.sampleRate = kRates[(body[0] >> 2) & 0x03];
    info.channels = (body[0] & 0x01) != 0 ? 2 : 1;
    info.payloadOffset = 1;
    switch (info.soundFormat) {
    case 2:
        info.codec = AudioCodec::Mp3;
        break;
    case 4: // Nellymoser 16 kHz mono
        info.sampleRate = 16000;
        info.channels = 1;
        break;
    case 5: // Nellymoser 8 kHz mono
        info.sampleRate = 8000;
        info.channels = 1;
        break;
    case 7:
        info.codec = AudioCodec::G711A;
        info.sampleRate = 8000; // G.711 is 8 kHz whatever the rate bits say
        break;
    case 8:
        info.codec = AudioCodec::G711U;
        info.sampleRate = 8000;
        break;
    case 10:
        info.codec = AudioCodec::Aac;
        break;
    case 11:
        // E.4.2.1: Speex is always 16 kHz mono.
        info.codec = AudioCodec::Speex;
        info.sampleRate = 16000;
        info.channels = 1;
        break;
    case 13: // not in the FLV spec; used for Opus by some servers
        info.codec = AudioCodec::Opus;
        break;
    case 14:
        info.codec = AudioCodec::Mp3;
        info.sampleRate = 8000;
        break;
    default:
        break;
    }
    if (info.codec == AudioCodec::Aac) {
        if (body.size() < 2) {
            return base::fail("flv: AAC audio tag truncated: 1 byte, need at least 2");
        }
        if (body[1] > 1) {
            return base::fail("flv: AACPacketType " + std::to_string(body[1]) +
                              " invalid, allowed 0 (sequence header) or 1 (raw)");
        }
        info.sequenceHeader = body[1] == 0;
        info.payloadOffset = 2;
    }
    return info;
}

std::vector<std::uint8_t> fileHeader(bool hasAudio, bool hasVideo) {
    // FLV 10.1 E.2: "FLV", version 1, TypeFlags, DataOffset 9, then PreviousTagSize0 = 0.
    const auto flags =
        static_cast<std::uint8_t>((hasAudio ? 0x04 : 0x00) | (hasVideo ? 0x01 : 0x00));
    return {'F', 'L', 'V', 0x01, flags, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00};
}

void writeTagHeader(std::uint8_t* out, TagType type, std::uint32_t dataSize,
                    std::uint32_t timestampMs) {
    // FLV 10.1 E.4.1: the timestamp's low 24 bits come first, its top 8 bits after them.
    out[0] = static_cast<std::uint8_t>(type);
    out[1] = static_cast<std::uint8_t>(dataSize >> 16);
    out[2] = static_cast<std::uint8_t>(dataSize >> 8);
    out[3] = static_cast<std::uint8_t>(dataSize);
    out[4] = static_cast<std::uint8_t>(timestampMs >> 16);
    out[5] = static_cast<std::uint8_t>(timestampMs >> 8);
    out[6] = static_cast<std::uint8_t>(timestampMs);
    out[7] = static_cast<std::uint8_t>(timestampMs >> 24);
    out[8] = 0;
    out[9] = 0;
    out[10] = 0;
}

void writePreviousTagSize(std::uint8_t* out, std::uint32_t dataSize) {
    const std::uint32_t size = static_cast<std::uint32_t>(kTagHeaderSize) + dataSize;
    out[0] = static_cast<std::uint8_t>(size >> 24);
    out[1] = static_cast<std::uint8_t>(size >> 16);
    out[2] = static_cast<std::uint8_t>(size >> 8);
    out[3] = static_cast<std::uint8_t>(size);
}

} // namespace stagecast::protocol::flv
