#pragma once
/// What local capture this machine offers now, asked of the OBS capture sources themselves
/// (their properties list the devices): screens (xshm_input), windows (xcomposite_input),
/// cameras (v4l2_input), microphones (pulse_input_capture) and desktop audio
/// (pulse_output_capture). A kind whose module is missing, or with no device, says why.
///
/// Thread: any thread while libobs runs; the work runs on a short-lived thread of its own
/// (see the .cpp for why).

#include <vector>

#include "director/InputSpec.h"

namespace stagecast::director {

std::vector<CaptureKind> discoverCapture();

} // namespace stagecast::director
