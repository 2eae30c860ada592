#include "Backoff.h"

#include <algorithm>

namespace stagecast::server::webhook {

std::chrono::milliseconds retryDelay(unsigned retry, std::chrono::milliseconds base,
                                     std::chrono::milliseconds cap, double unit) {
    using std::chrono::milliseconds;
    if (retry == 0 || base <= milliseconds(0)) {
        return milliseconds(0);
    }
    auto delay = std::min(base, cap);
    // Doubling stops at the cap, so the shift never overflows however many retries.
    for (unsigned i = 1; i < retry && delay < cap; ++i) {
        delay = std::min(delay * 2, cap);
    }
    unit = std::clamp(unit, 0.0, 1.0);
    const double factor = 0.8 + 0.4 * unit;
    return milliseconds(
        static_cast<milliseconds::rep>(static_cast<double>(delay.count()) * factor));
}

bool isRetryable(unsigned status) {
    return status == 0 || status == 408 || status == 429 || (status >= 500 && status <= 599);
}

} // namespace stagecast::server::webhook
