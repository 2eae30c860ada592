#pragma once
/// FLV container (Adobe Flash Video File Format Specification 10.1, annex E) and the
/// Enhanced RTMP/FLV extension (veovera enhanced-rtmp v1: ExVideoTagHeader with FourCC
/// 'hvc1', 'av01', 'vp09'). Sans-I/O.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "base/Result.h"

namespace stagecast::protocol::flv {

enum class TagType : std::uint8_t { Audio = 8, Video = 9, Script = 18 };

enum class VideoCodec : std::uint8_t { Unknown = 1, H264, Hevc, Av1, Vp9 };
enum class AudioCodec : std::uint8_t { Unknown = 1, Aac, Mp3, G711A, G711U, Speex, Opus };

enum class VideoPacketKind : std::uint8_t {
    SequenceHeader = 1, // AVC/HEVC/AV1 decoder configuration
    CodedFrames,        // media (with composition time for AVC/HEVC)
    EndOfSequence,
    Metadata,
    Other,
};

struct VideoTagInfo {
    VideoCodec codec = VideoCodec::Unknown;
    bool enhanced = false; // Enhanced RTMP ExVideoTagHeader
    bool keyframe = false; // frame type 1
    VideoPacketKind kind = VideoPacketKind::Other;
    std::int32_t compositionTime = 0; // ms, signed 24-bit
    /// Offset in the tag body where the codec payload starts (config record or NAL units).
    std::uint32_t payloadOffset = 0;
};

struct AudioTagInfo {
    AudioCodec codec = AudioCodec::Unknown;
    std::uint8_t soundFormat = 0; // raw 4-bit SoundFormat
    std::uint32_t sampleRate = 0; // from the tag header (AAC: take the config's instead)
    std::uint8_t channels = 0;
    bool sequenceHeader = false; // AAC AudioSpecificConfig
    std::uint32_t payloadOffset = 0;
};

/// Parses the header of a video tag body (= an RTMP video message payload).
base::Result<VideoTagInfo> parseVideoTag(std::span<const std::uint8_t> body);
/// Parses the header of an audio tag body (= an RTMP audio message payload).
base::Result<AudioTagInfo> parseAudioTag(std::span<const std::uint8_t> body);

/// "FLV" header (9 bytes) plus PreviousTagSize0 (4 bytes of zero).
std::vector<std::uint8_t> fileHeader(bool hasAudio, bool hasVideo);
inline constexpr std::size_t kTagHeaderSize = 11;
/// Writes the 11-byte tag header: type, 24-bit data size, timestamp (24 bits + extension
/// byte), stream id 0. `out` must have room for kTagHeaderSize bytes.
void writeTagHeader(std::uint8_t* out, TagType type, std::uint32_t dataSize,
                    std::uint32_t timestampMs);
/// Writes the 4-byte PreviousTagSize (= kTagHeaderSize + dataSize).
void writePreviousTagSize(std::uint8_t* out, std::uint32_t dataSize);

struct Tag {
    TagType type = TagType::Script;
    std::uint32_t timestampMs = 0;
    std::vector<std::uint8_t> body;
};

struct FlvReaderLimits {
    std::uint32_t maxTagSize = 16 * 1024 * 1024;
};

/// Incremental FLV demuxer: feed bytes split anywhere, get whole tags. Checks the signature,
/// the header size and each PreviousTagSize.
class FlvReader {
public:
    explicit FlvReader(FlvReaderLimits limits = {}) : limits_(limits) {}
    base::Status feed(std::span<const std::uint8_t> data, std::vector<Tag>& out);
    bool headerSeen() const { return headerSeen_; }
    bool hasAudio() const { return hasAudio_; }
    bool hasVideo() const { return hasVideo_; }

private:
    enum class Stage : std::uint8_t { Header, HeaderPadding, PreviousTagSize, TagHeader };
    /// Consumes whole units (header, padding, size field, tag) from `data`; `used` is how far
    /// it got, also on error.
    base::Status parse(std::span<const std::uint8_t> data, std::size_t& used,
                       std::vector<Tag>& out);

    FlvReaderLimits limits_;
    /// Bytes of an incomplete unit carried over to the next feed(); empty between whole units
    /// so the common case parses straight from the caller's span.
    std::vector<std::uint8_t> pending_;
    bool headerSeen_ = false;
    bool hasAudio_ = false;
    bool hasVideo_ = false;
    std::uint32_t lastTagSize_ = 0;
    Stage stage_ = Stage::Header;
    std::uint64_t paddingLeft_ = 0;    // DataOffset bytes beyond the 9-byte header
    std::uint64_t streamOffset_ = 0;   // stream offset of the first byte not yet consumed
    std::optional<base::Error> error_; // sticky: a broken stream stays broken
};

} // namespace stagecast::protocol::flv
