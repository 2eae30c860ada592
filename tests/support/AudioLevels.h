#pragma once
// Measures what a listener would hear in a live stream: its audio decoded with the ffmpeg
// tool (mono, 48 kHz, float) and the level of single tones in it.

#include <QString>
#include <vector>

namespace stagecast::test {

/// Decodes `seconds` of `url`'s first audio track, downmixed to mono at 48 kHz. Empty on
/// failure (ffmpeg's messages in `log`).
std::vector<float> decodeAudio(const QString& url, double seconds, QString* log = nullptr,
                               int timeoutMs = 60000);

/// RMS level in dBFS of the whole signal.
double rmsDb(const std::vector<float>& samples, std::size_t from = 0);
/// RMS level in dBFS of the component at `hz` (Goertzel over the samples from `from`).
double toneDb(const std::vector<float>& samples, double hz, std::size_t from = 0, int rate = 48000);
/// Where a steady tone at `hz` breaks (a click): the sample offsets of the 10 ms blocks from
/// `from` on whose phase moved by more than 20 degrees from the block before, or whose level
/// fell below half the tone's (a hole). Empty for an unbroken tone.
std::vector<std::size_t> toneBreaks(const std::vector<float>& samples, double hz,
                                    std::size_t from = 0, int rate = 48000);

} // namespace stagecast::test
