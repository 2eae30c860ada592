#pragma once
/// Cuts one hub stream into MPEG-TS segments for HLS and keeps the live window. Sans-I/O and
/// single-threaded: the owner feeds packets and asks for the playlist and segments under its
/// own lock.
///
/// Cutting: a segment starts at a video keyframe (audio-only streams: at any frame) and ends
/// at the first keyframe at or after the target duration, so every segment starts with a
/// keyframe, PAT/PMT and in-band parameter sets. Packets before the first keyframe are left
/// out. A segment that reaches the hard byte or duration cap without a keyframe is cut anyway
/// (and logged by the owner through `forcedCuts()`).
///
/// Discontinuities: a publisher restart or a new decoder configuration after media, or a
/// timestamp jump (back by over 1 s, forward by over 10 s), ends the current segment and
/// flags the next one with EXT-X-DISCONTINUITY; EXT-X-DISCONTINUITY-SEQUENCE counts the
/// flags that slid out of the playlist.
///
/// Window: the playlist lists the last `windowSegments` complete segments; `extraSegments`
/// older ones stay fetchable for players that loaded an older playlist; the total bytes
/// kept are bounded by `maxBytes` (the oldest go first, the newest always stays).
///
/// Encryption (`encrypt`): each segment is encrypted once, when it is cut, with AES-128-CBC
/// (RFC 8216 METHOD=AES-128) under the stream's current key and a fresh random IV, and kept
/// encrypted. Keys rotate every `keyRotateSegments` segments (0: only at a discontinuity).
/// The playlist gives every segment its EXT-X-KEY (URI and IV) and lists only segments whose
/// key is stored (HlsKey::stored), so a key file exists before a playlist names it.

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "protocol/hls/MediaPlaylist.h"
#include "protocol/mpegts/TsMuxer.h"
#include "server/hls/HlsKeys.h"
#include "server/hls/ProgramClock.h"
#include "stream/MediaPacket.h"

namespace stagecast::server::hls {

struct SegmenterOptions {
    std::chrono::milliseconds target{2000};
    std::size_t windowSegments = 6;
    std::size_t extraSegments = 4;
    std::size_t maxBytes = 64 * 1024 * 1024;
    bool encrypt = false;
    std::size_t keyRotateSegments = 10;
};

struct HlsSegment {
    std::uint64_t sequence = 0;
    double duration = 0; // seconds
    bool discontinuity = false;
    /// EXT-X-PROGRAM-DATE-TIME: when its first frame arrived (UTC ms; ProgramClock).
    std::int64_t programDateTimeMs = 0;
    /// Discontinuity flags on this segment and every earlier one (for the sequence tag).
    std::uint64_t discontinuitiesSoFar = 0;
    std::shared_ptr<const std::vector<std::uint8_t>> data; // encrypted when `key` is set
    std::shared_ptr<const HlsKey> key;
    Aes128Iv iv{};
};

class HlsSegmenter {
public:
    explicit HlsSegmenter(SegmenterOptions options);

    /// `wallMs`: when the packet arrived (UTC ms), for the segments' program date-times.
    void push(const stream::MediaPacket& packet, std::int64_t wallMs = ProgramClock::nowMs());
    /// The next segment starts after a discontinuity (the owner saw the publisher change).
    void markDiscontinuity();

    /// The live media playlist; segment URIs are `uriPrefix + SEQ + ".ts" + uriSuffix`, key
    /// URIs `keyUriPrefix + ID + ".key" + uriSuffix` (default: uriPrefix + "key/"). Nullopt
    /// while no segment is complete (or, encrypted, none has its key stored yet).
    std::optional<std::string>
    playlist(const std::string& uriPrefix, const std::string& uriSuffix,
             const std::optional<std::string>& keyUriPrefix = std::nullopt) const;
    /// The same playlist as a model (segment i has sequence mediaSequence + i).
    std::optional<protocol::hls::MediaPlaylist>
    playlistModel(const std::string& uriPrefix, const std::string& uriSuffix,
                  const std::optional<std::string>& keyUriPrefix = std::nullopt) const;
    std::shared_ptr<const HlsSegment> segment(std::uint64_t sequence) const;

    // Encryption (all empty when it is off).
    /// A stored key that a kept segment uses, or null.
    std::shared_ptr<const HlsKey> key(std::string_view id) const;
    /// Keys made since the last call: the owner stores them.
    std::vector<std::shared_ptr<HlsKey>> takeNewKeys();
    /// Keys whose segments are all gone since the last call: the owner deletes them.
    std::vector<std::shared_ptr<HlsKey>> takeRetiredKeys();
    /// Every key in use (packaging stops: the owner deletes them).
    std::vector<std::shared_ptr<HlsKey>> keys() const;
    /// Segments dropped because encryption failed (the random generator or OpenSSL).
    std::uint64_t cipherFailures() const { return cipherFailures_; }

    std::size_t completeSegments() const { return segments_.size(); }
    std::size_t bytes() const { return bytes_ + open_.size(); }
    std::uint64_t forcedCuts() const { return forcedCuts_; }
    std::uint64_t nextSequence() const { return nextSequence_; }

    /// Hard cap for one segment that never meets a keyframe.
    static constexpr std::size_t kMaxSegmentBytes = 32 * 1024 * 1024;

private:
    void startSegment(std::int64_t dts);
    void finishSegment(std::int64_t endDts);
    void trim();

    const SegmenterOptions options_;
    protocol::mpegts::TsMuxer muxer_;
    bool hasVideoConfig_ = false;
    bool sawMedia_ = false;

    std::vector<std::uint8_t> open_;
    std::optional<std::int64_t> openStart_; // dts of the open segment's first frame
    std::optional<std::int64_t> lastDts_;
    std::int64_t lastFrameMs_ = 0; // the last gap between frames, for a cut at a jump
    bool pendingDiscontinuity_ = false;
    ProgramClock clock_;
    std::int64_t wallMs_ = 0;     // arrival of the packet being pushed
    std::int64_t openDateMs_ = 0; // the open segment's program date-time

    std::deque<std::shared_ptr<const HlsSegment>> segments_;
    std::size_t bytes_ = 0;
    std::uint64_t nextSequence_ = 0;
    std::uint64_t discontinuities_ = 0;
    std::uint64_t maxDurationRounded_ = 0;
    std::uint64_t forcedCuts_ = 0;

    std::optional<HlsKeys> keys_; // when encrypting
    std::vector<std::shared_ptr<HlsKey>> retired_;
    std::uint64_t cipherFailures_ = 0;
};

} // namespace stagecast::server::hls
