#pragma once
/// The director: libobs started headless or under a desktop, every hub stream as an input,
/// studio mode (preview, program, Cut, Auto fade), layouts (full, picture-in-picture) and the
/// program encoded and published back into the hub. The facade app/ and the API use; it
/// includes no libobs header.
///
/// Inputs appear by themselves: every stream published into the hub (except the program
/// itself and the preview stream) becomes an input and stays one (state "off") after its publisher
/// leaves. While an input is not live (no publisher, or no picture for `stallAfter`) every layout
/// showing it shows its standby slate instead; the switches both ways are logged.
///
/// Threads: start() and the destructor on the owner's thread, before the hub is destroyed;
/// every other member from any thread (one lock). Hub events only enqueue; inputs are
/// created on the director's own thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/Result.h"
#include "director/DirectorTypes.h"
#include "director/InputSpec.h"
#include "director/SavedLayouts.h"
#include "stream/Hub.h"

namespace stagecast::director {

struct DirectorOptions {
    std::uint32_t width = 1280;
    std::uint32_t height = 720;
    std::uint32_t fps = 30;
    /// libobs' module configuration folder (inside the data folder).
    std::string configDir;
    std::string programStream = "live/program";
    /// "x264", "auto", a hardware family ("nvenc", "qsv", "amf", "vaapi", "videotoolbox") or a
    /// libobs encoder id (VideoEncoderChoice.h); what is not there falls back to x264.
    std::string videoEncoder = "x264";
    std::string rateControl = "cbr"; // or "vbr"
    std::uint32_t keyframeSeconds = 2;
    std::string x264Preset = "veryfast";
    std::uint32_t videoKbps = 2500;
    std::uint32_t audioKbps = 160;
    /// The preview with the overlays, published as its own stream (PreviewOutput.h); fps
    /// must divide `fps`.
    bool previewOutput = true;
    std::string previewStream = "live/preview";
    std::uint32_t previewWidth = 640;
    std::uint32_t previewHeight = 360;
    std::uint32_t previewFps = 15;
    std::uint32_t previewKbps = 800;
    /// An input with a publisher but no picture for this long is "stalled".
    std::chrono::milliseconds stallAfter{1000};
    /// Auto without a duration (a saved collection's value wins).
    std::chrono::milliseconds transition{1000};
    /// The scene collection (JSON), restored at start and written after every change; empty
    /// keeps nothing.
    std::string collectionFile;
    /// Called for each DirectorEvent, on the director's or the caller's thread with the
    /// director's lock held: hand the event on (an event bus), never call back into the
    /// director.
    std::function<void(const DirectorEvent&)> onEvent;
    /// An input on program went to standby (`raise` true, showing its backup or the slate)
    /// or came back (false). Same thread and lock rules as onEvent; must not block.
    std::function<void(const std::string& input, bool raise, const std::string& details)>
        onStandbyAlert;
};

class Director {
public:
    /// Starts libobs, the studio, the program output and the preview output. Fails naming the
    /// cause (no display, graphics, a missing encoder or transition, the program or preview
    /// stream already published, a bad preview setting).
    static base::Result<std::unique_ptr<Director>> start(stream::Hub& hub, DirectorOptions options);
    ~Director();
    Director(const Director&) = delete;
    Director& operator=(const Director&) = delete;

    /// Builds the layout and puts it in preview. Fails naming the bad field or an unknown
    /// input ("input live/x is not known: ...").
    base::Status setPreview(const LayoutSpec& spec);
    /// Preview to program at once.
    base::Result<Take> cut();
    /// Preview to program with a fade of `duration` (zero: the configured default).
    base::Result<Take> autoTransition(std::chrono::milliseconds duration);

    /// Auto with a transition for this take only (nullopt: the configured one).
    base::Result<Take> autoTransition(std::chrono::milliseconds duration,
                                      const std::optional<TransitionSpec>& oneOff);
    /// The transition Auto and the T-bar use from now on, saved in the collection. Fails
    /// naming the field, or the type the obs-transitions module lacks.
    base::Status setTransition(const TransitionSpec& spec);
    /// The T-bar at `position` 0..1: above 0 the configured transition runs by hand towards
    /// the preview, 1 completes the take (tally), 0 before 1 cancels it.
    base::Result<TbarMove> moveTbar(double position);
    /// Audio-follows-video (false: always in the program mix), monitoring and the sound's
    /// sync offset. Returns why the monitor may stay silent (no audio device), empty when fine.
    base::Result<std::string> setAudioRouting(const std::string& stream,
                                              const AudioRouting& routing);

    /// An input's volume (linear gain 0..4, 1 unchanged) and mute, as its audio enters the
    /// program mix. Either may be left out.
    base::Status setAudio(const std::string& stream, std::optional<double> volume,
                          std::optional<bool> muted);

    /// Saved layouts (SavedLayouts.h): save or replace one (checked like a preview, except
    /// that its inputs need not be published yet: a presenter may join later), remove one,
    /// list them, and recall one into preview by name (its inputs must be known then).
    base::Status saveLayout(const SavedLayout& saved);
    base::Status removeLayout(const std::string& name);
    std::vector<SavedLayout> savedLayouts() const;
    base::Status recallLayout(const std::string& name);
    /// The multiview stream (Multiview.h) on with `settings`, restarted with new ones, or off
    /// (`on` false); saved in the collection. Fails naming the field (`fps: 7 must divide the
    /// canvas fps (30)`, a stream that is an input).
    base::Status setMultiview(const MultiviewSettings& settings);
    /// Director-defined inputs (SourceInputs): create (the file must exist); remove any input,
    /// a hub stream's too (refused while on program, another's backup or in an overlay; it leaves
    /// the preview; a hub stream's comes back when it is published again); a backup for standby
    /// (empty clears), local capture devices, and a JPEG thumbnail of any input as rendered (waits
    /// up to a few seconds for a fresh one).
    base::Status addInput(const InputSpec& spec);
    base::Status removeInput(const std::string& id);
    base::Status setBackup(const std::string& input, const std::string& backup);
    std::vector<CaptureKind> captureDevices() const;
    base::Result<std::vector<std::uint8_t>> thumbnail(const std::string& input);
    /// The overlay layer (drawn over every layout, whatever the takes do): adds the item, or
    /// replaces the one with its id in place. Fails naming the field (a missing image file,
    /// an unknown input, a box out of range).
    base::Status setOverlay(const OverlaySpec& overlay);
    /// Shows or hides an overlay item; fails naming an unknown id.
    base::Status showOverlay(const std::string& id, bool on);
    base::Status removeOverlay(const std::string& id);

    std::vector<InputFigures> inputs() const;
    DirectorState state() const;
    const DirectorOptions& options() const;

private:
    struct Impl;
    explicit Director(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

} // namespace stagecast::director
