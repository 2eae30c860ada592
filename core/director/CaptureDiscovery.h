#pragma once
/// What local capture this machine offers now, asked of the OBS capture sources themselves
/// (their properties list the devices): screens, windows, cameras, microphones and desktop
/// audio, by the system's sources (Platform.h; on Linux xshm_input, xcomposite_input,
/// v4l2_input, pulse_input_capture, pulse_output_capture). A kind whose module is missing, or
/// with no device, says why.
///
/// Thread: any thread while libobs runs; the work runs on a short-lived thread of its own
/// (see the .cpp for why).

#include <vector>

#include "director/InputSpec.h"

namespace stagecast::director {

std::vector<CaptureKind> discoverCapture();

} // namespace stagecast::director
