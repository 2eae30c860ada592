#pragma once
/// Measures what a stream carries, from its hub packets: audio loudness (EBU R128 momentary
/// and short-term via libebur128) and silence, video black and frozen pictures. Emits one
/// ContentSample per sample interval of media time.
///
/// Cost: audio (AAC) is decoded fully — it is cheap. Video is decoded from keyframes only,
/// at most about one per second: each keyframe is decoded on its own and nothing else is
/// given to the decoder, so a 720p30 stream with a 1–2 s GOP costs the decode of 0.5–1
/// pictures a second instead of 30 (measured in docs/monitoring.md). Decoding ~1 picture a
/// second from between keyframes is not cheaper: it needs every reference frame before it.
/// The price is resolution: black and frozen are seen at keyframes, so with a 10 s GOP
/// they are seen every 10 s.
///
/// Robustness: a malformed packet, a decoder error or a corrupt picture is counted (see
/// ProbeCounters), the decoder is reopened and waits for the next keyframe; a new
/// configuration reopens it; timestamps going back (a new publisher) restart the measurement.
///
/// Thread: used from one thread (ProbeRunner's worker). Includes no FFmpeg header.

#include <memory>
#include <vector>

#include "base/Result.h"
#include "media/ContentSample.h"
#include "media/ProbeOptions.h"
#include "stream/MediaPacket.h"

namespace stagecast::media {

class ContentProbe {
public:
    /// `options` should have passed validate().
    explicit ContentProbe(ProbeOptions options = {});
    ~ContentProbe();
    ContentProbe(ContentProbe&&) noexcept;
    ContentProbe& operator=(ContentProbe&&) noexcept;

    /// Feeds one hub packet (any kind, in stream order) and appends the samples whose interval
    /// it closes. Returns a problem worth logging (decoder error, unsupported codec); it is
    /// already counted and the probe goes on.
    base::Status feed(const stream::MediaPacket& packet, std::vector<ContentSample>& out);
    /// Forgets decoders, timeline and measurements (a new subscription).
    void reset();

    ProbeCounters counters() const;
    const ProbeOptions& options() const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

} // namespace stagecast::media
