#pragma once
/// The publisher's media: every tag of an FLV file, read once into memory, with what the
/// pacing loop needs to know (which tags only belong at the start, how long one pass lasts).

#include <cstdint>
#include <string>
#include <vector>

#include "base/Result.h"
#include "protocol/flv/Flv.h"

namespace stagecast::load {

struct SourceTag {
    protocol::flv::TagType type = protocol::flv::TagType::Script;
    std::uint32_t timestampMs = 0; // relative to the file's first tag
    /// Script data and decoder configurations are sent once, not on every loop.
    bool startOnly = false;
    std::vector<std::uint8_t> body;
};

struct FlvSource {
    std::vector<SourceTag> tags;
    /// Length of one pass in ms: the last timestamp plus one frame, so the next pass's
    /// timestamps continue strictly above this pass's.
    std::uint32_t loopDurationMs = 0;
    std::size_t videoFrames = 0;
};

base::Result<FlvSource> loadFlvFile(const std::string& path);

} // namespace stagecast::load
