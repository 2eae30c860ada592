#pragma once
/// The state behind one "stagecast_hub_output" output: publishes into the hub while the
/// output runs and turns each encoded packet into a hub packet (see ProgramOutput.h).
///
/// Threads: start/stop on libobs' output threads; packet() on its encoder threads, one at a
/// time; figures() from any thread.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <obs.h>

#include "director/ProgramOutput.h"
#include "stream/Hub.h"

namespace stagecast::director {

class HubSink {
public:
    HubSink(stream::Hub& hub, stream::StreamKey key, obs_output_t* output);
    ~HubSink();
    HubSink(const HubSink&) = delete;
    HubSink& operator=(const HubSink&) = delete;

    bool start();
    void stop();
    void packet(const encoder_packet& packet);
    ProgramFigures figures() const;
    /// The program's media time (its pts, ms) of a picture rendered at `systemUsec` (libobs'
    /// clock, os_gettime_ns / 1000); empty before the first video packet.
    std::optional<std::int64_t> programTimeMs(std::int64_t systemUsec) const;

private:
    void fail(const std::string& message);
    void pushVideo(const encoder_packet& packet);
    void pushAudio(const encoder_packet& packet);

    stream::Hub& hub_;
    const stream::StreamKey key_;
    obs_output_t* const output_; // not owned: the output owns this object
    const std::string label_;    // the output's name ("program", "preview") for the log

    std::mutex mutex_; // guards the publisher and the config flags
    std::unique_ptr<stream::Publisher> publisher_;
    bool videoConfigSent_ = false;
    bool audioConfigSent_ = false;
    std::atomic<bool> evicted_{false};

    // The first video packet's render time (libobs' clock) and pts, both in microseconds:
    // libobs stamps a packet with the system time of its picture, so these map render time
    // to program time.
    std::atomic<std::int64_t> firstSystemUsec_{0};
    std::atomic<std::int64_t> firstPtsUsec_{-1};

    std::atomic<bool> active_{false};
    std::atomic<std::uint64_t> videoPackets_{0};
    std::atomic<std::uint64_t> audioPackets_{0};
    std::atomic<std::uint64_t> bytes_{0};
    mutable std::mutex errorMutex_;
    std::string lastError_;
};

} // namespace stagecast::director
