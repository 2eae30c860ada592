// mp4::readFragmentSamples on arbitrary bytes (what a benchmark player reads from an LL-HLS
// server): never crashes, and every sample it reports has room in the input for its trun
// entry.

#include <cstddef>
#include <cstdint>
#include <span>

#include "protocol/mp4/FragmentReader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto samples = stagecast::protocol::mp4::readFragmentSamples(std::span(data, size));
    if (samples && samples->size() > size) {
        __builtin_trap(); // a sample from nothing: the bounds checks failed
    }
    return 0;
}
