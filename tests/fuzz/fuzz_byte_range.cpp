// Reads the input as a Range header against several file sizes. An answer must stay inside
// the file: a partial range has first <= last < size, and a whole-file answer covers it all.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "server/http/ByteRange.h"

namespace http = stagecast::server::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view header(reinterpret_cast<const char*>(data), size);
    for (std::uint64_t fileSize : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{1000},
                                   std::uint64_t{1} << 40, ~std::uint64_t{0}}) {
        const auto answer = http::resolveRange(header, fileSize);
        if (answer.kind == http::RangeKind::Partial &&
            (answer.first > answer.last || answer.last >= fileSize)) {
            __builtin_trap();
        }
    }
    return 0;
}
