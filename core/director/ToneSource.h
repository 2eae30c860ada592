#pragma once
/// The libobs source type "stagecast_tone": a line-up tone, the "tone" of bars and tone. A
/// sine of `frequency` Hz (20..20000, default 1000) at `level_db` dBFS (-60..0, default -20,
/// SMPTE RP 155's reference level) on both channels of 48 kHz float audio, pushed every 10 ms
/// by a thread of its own with timestamps from the sample count (continuous phase, no drift
/// against libobs' clock). Audio only: a colour-bars input places it in its scene so the tone
/// sounds where the bars show, and its volume, mute and meter are the input's.
///
/// Threads: register once, on the director's thread, after Engine::start; each source's
/// thread only calls obs_source_output_audio.

namespace stagecast::director {

inline constexpr const char* kToneId = "stagecast_tone";

void registerToneSource();

} // namespace stagecast::director
