#pragma once
/// [director]: the libobs director (docs/director.md). Read by DirectorSection.cpp.

#include <chrono>
#include <cstdint>
#include <string>

namespace stagecast::config {

struct DirectorConfig {
    /// Headless runs start the director only when this is true (or with --director).
    bool enabled = false;
    std::uint32_t width = 1280;
    std::uint32_t height = 720;
    std::uint32_t fps = 30;
    /// The hub stream the program is published as.
    std::string programStream = "live/program";
    /// "x264", "auto", "nvenc", "qsv", "amf", "vaapi", "videotoolbox" or a libobs encoder id.
    std::string videoEncoder = "x264";
    std::string rateControl = "cbr"; // "cbr" or "vbr"
    std::uint32_t keyframeIntervalS = 2;
    std::string x264Preset = "veryfast";
    std::uint32_t videoBitrateKbps = 2500;
    std::uint32_t audioBitrateKbps = 160;
    /// Auto's fade when the request names no duration.
    std::chrono::milliseconds transition{1000};
    /// An input with a publisher but no picture for this long is "stalled".
    std::chrono::milliseconds stall{1000};
    /// The preview (with the overlay layer) rendered by a second libobs mix, encoded and
    /// published as previewStream (video only).
    bool previewOutput = true;
    std::string previewStream = "live/preview";
    std::uint32_t previewWidth = 640;
    std::uint32_t previewHeight = 360;
    /// Must divide fps: the preview takes every (fps / previewFps)-th canvas frame.
    std::uint32_t previewFps = 15;
    std::uint32_t previewBitrateKbps = 800;

    bool operator==(const DirectorConfig&) const = default;
};

} // namespace stagecast::config
