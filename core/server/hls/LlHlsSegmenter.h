#pragma once
/// Low-Latency HLS on fragmented MP4 (CMAF): cuts one hub stream into partial segments of
/// about `partTarget` (EXT-X-PART) grouped into segments that start at video keyframes, keeps
/// the live window, and renders the playlist with EXT-X-MAP, EXT-X-PART-INF, CAN-BLOCK-RELOAD,
/// PART-HOLD-BACK and a preload hint for the next part. Sans-I/O and single-threaded: the
/// owner feeds packets and reads under its own lock.
///
/// Parts: a part ends before the packet that would make it longer than the part target
/// (judged by the stream's frame interval), so parts stay within PART-TARGET for regular
/// streams; a part starting with a keyframe is INDEPENDENT. A segment ends at the first
/// keyframe at or after the segment target. Every part is one moof + mdat with the video and
/// audio samples decoded in it; a segment is the concatenation of its parts.
///
/// Init segments: a new decoder configuration after media (a publisher with another encoder)
/// makes a new init segment (a new EXT-X-MAP URI) and a discontinuity, as does a publisher
/// restart or a timestamp jump. H.264 and HEVC video, AAC audio; other codecs are left out
/// (`unsupported()` names them).

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "protocol/mp4/Fmp4.h"
#include "server/hls/ProgramClock.h"
#include "stream/MediaPacket.h"

namespace stagecast::server::hls {

struct LlOptions {
    std::chrono::milliseconds segmentTarget{2000};
    std::chrono::milliseconds partTarget{334};
    std::size_t windowSegments = 6;
    std::size_t extraSegments = 4;
    std::size_t maxBytes = 64 * 1024 * 1024;
};

struct LlPart {
    std::uint64_t msn = 0;
    std::uint32_t index = 0;
    double duration = 0; // seconds
    bool independent = false;
    std::shared_ptr<const std::vector<std::uint8_t>> data;
};

struct LlSegment {
    std::uint64_t msn = 0;
    double duration = 0;
    bool discontinuity = false;
    std::uint64_t discontinuitiesSoFar = 0;
    std::uint32_t initVersion = 0;
    std::int64_t programDateTimeMs = 0; // when its first frame arrived (UTC ms)
    std::vector<std::shared_ptr<const LlPart>> parts;
    std::shared_ptr<const std::vector<std::uint8_t>> data; // all parts, once complete
};

class LlHlsSegmenter {
public:
    explicit LlHlsSegmenter(LlOptions options);

    /// `wallMs`: when the packet arrived (UTC ms), for the segments' program date-times.
    void push(const stream::MediaPacket& packet, std::int64_t wallMs = ProgramClock::nowMs());
    void markDiscontinuity();

    /// The playlist; URIs are `prefix + NAME + suffix` (NAME: "init-V.mp4", "MSN.m4s",
    /// "MSN.PART.m4s"). Nullopt until the first part exists.
    std::optional<std::string> playlist(const std::string& prefix, const std::string& suffix) const;
    std::shared_ptr<const std::vector<std::uint8_t>> init(std::uint32_t version) const;
    std::shared_ptr<const LlPart> part(std::uint64_t msn, std::uint32_t index) const;
    std::shared_ptr<const std::vector<std::uint8_t>> segment(std::uint64_t msn) const;

    /// Segment `msn` is complete (without `index`) or has part `index`: what a blocking
    /// reload or a preloaded part waits for.
    bool has(std::uint64_t msn, std::optional<std::uint32_t> index) const;
    /// The segment being produced (the next one when none is open).
    std::uint64_t liveMsn() const { return open_ ? open_->msn : nextMsn_; }
    /// Changes on every new part: owners wake their waiters when it moves.
    std::uint64_t version() const { return version_; }
    std::size_t completeSegments() const { return segments_.size(); }
    std::size_t bytes() const { return bytes_; }
    const std::string& unsupported() const { return unsupported_; }

private:
    struct Pending {
        std::int64_t dts = 0;
        std::int32_t cts = 0;
        bool sync = false;
        std::vector<std::uint8_t> data;
    };
    struct Open {
        std::uint64_t msn = 0;
        std::int64_t startDts = 0;
        std::int64_t programDateTimeMs = 0;
        bool discontinuity = false;
        std::vector<std::shared_ptr<const LlPart>> parts;
    };

    void setVideoConfig(const stream::MediaPacket& packet);
    void setAudioConfig(const stream::MediaPacket& packet);
    void newInitIfChanged();
    void media(const stream::MediaPacket& packet, bool video);
    void startSegment(std::int64_t dts);
    void closePart(std::int64_t endDts);
    void closeSegment(std::int64_t endDts);
    void trim();

    const LlOptions options_;
    protocol::mp4::InitSpec spec_;
    protocol::mp4::InitSpec built_; // the spec of the newest init segment
    std::map<std::uint32_t, std::shared_ptr<const std::vector<std::uint8_t>>> inits_;
    std::uint32_t initVersion_ = 0;
    bool sawMedia_ = false;
    bool pendingDiscontinuity_ = false;
    std::string unsupported_;
    ProgramClock clock_;
    std::int64_t wallMs_ = 0; // arrival of the packet being pushed

    std::optional<Open> open_;
    std::int64_t partStart_ = 0;
    bool partIndependent_ = false;
    std::vector<Pending> video_;
    std::vector<Pending> audio_;
    std::optional<std::int64_t> lastDriverDts_;
    std::int64_t frameMs_ = 0; // the driver track's last frame interval
    std::uint32_t fragmentSequence_ = 0;

    std::deque<std::shared_ptr<const LlSegment>> segments_;
    std::size_t bytes_ = 0;
    std::uint64_t nextMsn_ = 0;
    std::uint64_t discontinuities_ = 0;
    std::uint64_t maxDurationRounded_ = 0;
    std::uint64_t version_ = 0;
};

} // namespace stagecast::server::hls
