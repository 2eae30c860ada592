#pragma once
/// The director's audio beyond volume and mute: level meters (peak and RMS, dBFS) per input
/// (obs_volmeter, after volume and mute) and for the program mix (libobs' raw audio callback
/// on mix 0, what the program encoder takes); audio-follows-video as a per-input choice; and
/// monitoring; and a per-input audio sync offset (libobs' own, on the input's source and
/// its bus, added to the frame of delay a hub input already has: see docs/director.md).
///
/// An input that does not follow video (a presenter's microphone) is always in the program
/// mix: an audio-only source of its own on a libobs output channel (kFirstBusChannel and up),
/// which the mix always includes, carries it instead of the layouts that show the input. For
/// a hub input that source is a tap on its slot's sound (SlotFrame.h: libobs has placed it
/// against the pictures, so the sync holds) and the slot's frame stops passing the sound on;
/// a director input (a microphone, desktop audio, a media file: libobs sources that make their
/// own sound) is copied to a pushed source by an audio capture callback, with volume and mute
/// mirrored, and its own source is taken out of every mix so it is heard once.
///
/// Thread: used under the director's lock; the meter callbacks run on libobs' audio thread
/// and only store atomics.

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "base/Result.h"
#include "director/DirectorTypes.h"
#include "director/InputSlot.h"

namespace stagecast::director {

class AudioDesk {
public:
    static constexpr std::uint32_t kFirstBusChannel = 32; // up to 63
    AudioDesk();
    ~AudioDesk();
    AudioDesk(const AudioDesk&) = delete;
    AudioDesk& operator=(const AudioDesk&) = delete;

    /// Starts metering a new input (follows video, no monitor).
    void add(InputSlot& slot);
    /// Stops metering and routing an input (before its slot goes).
    void remove(const std::string& stream);
    /// Fails for an unknown input or when no output channel is free.
    base::Status setFollowVideo(const std::string& stream, bool follow);
    /// Returns why the monitor may stay silent (no audio device), empty when it should sound.
    base::Result<std::string> setMonitor(const std::string& stream, bool on);
    /// Fails for an unknown input or an offset outside kMinSyncOffsetMs..kMaxSyncOffsetMs.
    base::Status setSyncOffset(const std::string& stream, int ms);
    /// setFollowVideo, setMonitor and setSyncOffset (any may be left out; all checked before
    /// any is applied where they can be), logged; returns setMonitor's problem text.
    base::Result<std::string> route(const std::string& stream, const AudioRouting& routing);
    /// The saved routing at start (after the input's volume and mute are set).
    void restore(const std::string& stream, bool followVideo, bool monitor, int syncOffsetMs);
    /// Copies the input's volume and mute to its always-in-the-mix source.
    void syncVolume(const std::string& stream);

    /// Meter, follow_video, monitor and its problem into `f` (by f.stream).
    void fill(InputFigures& f) const;
    bool followsVideo(const std::string& stream) const;
    bool monitors(const std::string& stream) const;
    int syncOffsetMs(const std::string& stream) const;
    Meter program() const;
    /// A "meters" event with every input's level and the program's, or nothing when the
    /// last one was made less than 100 ms ago.
    std::optional<DirectorEvent> meterEvent();

private:
    struct Channel;
    struct ProgramLevel;
    std::map<std::string, std::unique_ptr<Channel>> channels_;
    std::unique_ptr<ProgramLevel> program_;
    std::chrono::steady_clock::time_point lastEvent_{};
};

} // namespace stagecast::director
