// Parses the input as a media playlist. When it parses: validate() must not crash, the
// rendered text must parse again to the same model (with the version and target duration the
// renderer fills in), and rendering that model must give the same text.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "protocol/hls/PlaylistParser.h"

namespace hls = stagecast::protocol::hls;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto first = hls::parseMediaPlaylist(input);
    if (!first) {
        if (first.error().message().rfind("hls: ", 0) != 0) {
            __builtin_trap();
        }
        return 0;
    }
    (void)first->validate();
    const std::string text = first->render();
    // Rendering may lengthen lines (canonical decimals, IVs, dates); don't trip the limit.
    hls::PlaylistParserLimits roomy;
    roomy.maxLineLength = 4 * roomy.maxLineLength;
    const auto second = hls::parseMediaPlaylist(text, roomy);
    if (!second) {
        __builtin_trap();
    }
    hls::MediaPlaylist expected = *first;
    expected.version = std::max(expected.version, expected.requiredVersion());
    expected.targetDuration = expected.renderedTargetDuration();
    if (!(*second == expected)) {
        __builtin_trap();
    }
    if (second->render() != text) {
        __builtin_trap();
    }
    return 0;
}
