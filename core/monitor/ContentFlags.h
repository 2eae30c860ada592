#pragma once
/// What a content probe (core/media's ProbeManager: low-rate decode of a stream's audio and
/// video) tells monitoring about one stream, about once a second. Declared here so that
/// core/monitor does not depend on core/media: the app wires a probe's output to a
/// ContentListener.

#include <optional>

#include "stream/StreamKey.h"

namespace stagecast::monitor {

struct ContentFlags {
    bool silence = false; // audio below the probe's silence level over its last window
    bool black = false;   // the last decoded picture is (nearly) black
    bool frozen = false;  // the last decoded pictures are (nearly) identical
    /// EBU R128 short-term loudness (3 s window), LUFS; nullopt when unknown (no audio yet).
    std::optional<double> shortTermLufs;
};

/// Receives content flags. Thread-safe implementations: probes call from their own threads.
/// Never called on a network thread.
class ContentListener {
public:
    virtual ~ContentListener() = default;
    virtual void onContent(const stream::StreamKey& stream, const ContentFlags& flags) = 0;
};

} // namespace stagecast::monitor
