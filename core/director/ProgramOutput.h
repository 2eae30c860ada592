#pragma once
/// The program, encoded and published into the hub: libobs' main canvas and audio mix →
/// obs_x264 + ffmpeg_aac → the output type "stagecast_hub_output" (registered here), whose
/// packets become hub packets of one stream (`live/program` by default): H.264 as AVCC with
/// its configuration record from the encoder's header, AAC with its AudioSpecificConfig.
/// Timestamps come from libobs' interleaved output, which starts at zero and runs on with the
/// canvas, so scene changes and input failures do not touch them.
///
/// Threads: registerType/start/destructor on the director's thread; packets arrive on
/// libobs' encoder threads (serialised by the output); figures() from any thread.

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/Result.h"
#include "director/DirectorTypes.h"
#include "director/ObsHandles.h"
#include "stream/Hub.h"

namespace stagecast::director {

inline constexpr const char* kHubOutputId = "stagecast_hub_output";
/// The same, video only (OBS_OUTPUT_VIDEO): the preview's publisher.
inline constexpr const char* kHubVideoOutputId = "stagecast_hub_video_output";

struct ProgramOptions {
    std::string stream = "live/program";
    /// A libobs H.264 encoder id (VideoEncoderChoice.h picks it).
    std::string encoderId = "obs_x264";
    /// "cbr" (constant, with filler: what CDN ingests ask for) or "vbr".
    std::string rateControl = "cbr";
    std::uint32_t videoKbps = 2500;
    std::uint32_t audioKbps = 160;
    std::uint32_t keyframeSeconds = 2;
    std::string x264Preset = "veryfast"; // x264 only
};

class ProgramOutput {
public:
    /// Registers both output types; the hub must outlive every output of it.
    static void registerType(stream::Hub& hub);
    /// Creates the encoders and the output and starts publishing. Fails naming the missing
    /// encoder or why the output did not start ("stream live/program is already being
    /// published").
    static base::Result<std::unique_ptr<ProgramOutput>> start(const ProgramOptions& options);
    /// The H.264 video encoders libobs offers here (its loaded modules), by id.
    static std::vector<std::string> availableH264Encoders();
    ~ProgramOutput();
    ProgramOutput(const ProgramOutput&) = delete;
    ProgramOutput& operator=(const ProgramOutput&) = delete;

    const ProgramOptions& options() const { return options_; }
    ProgramFigures figures() const;
    /// The program's media time (ms, as its pts) of the picture libobs renders now; empty
    /// before the first encoded picture.
    std::optional<std::int64_t> programTimeNowMs() const;

private:
    explicit ProgramOutput(ProgramOptions options) : options_(std::move(options)) {}

    ProgramOptions options_;
    EncoderRef video_;
    EncoderRef audio_;
    OutputRef output_;
};

} // namespace stagecast::director
