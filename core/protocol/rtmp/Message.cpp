#include "Message.h"

namespace stagecast::protocol::rtmp {

namespace {
constexpr std::int64_t kWrap = std::int64_t{1} << 32;
constexpr std::uint32_t kHalfRange = std::uint32_t{1} << 31;
} // namespace

// RTMP timestamps are 32-bit and wrap after ~49.7 days (section 5.3.1.1). Only a backwards
// jump of more than half the range can be a wrap; a smaller backwards step is jitter (audio
// and video interleaved slightly out of order) and must not add 2^32.
std::int64_t TimestampUnwrapper::unwrap(std::uint32_t ts) {
    if (!started_) {
        started_ = true;
        last_ = ts;
        return ts;
    }
    if (ts < last_ && last_ - ts > kHalfRange) {
        epoch_ += kWrap;
    } else if (ts > last_ && ts - last_ > kHalfRange && epoch_ >= kWrap) {
        // A late value from before the most recent wrap: place it in the previous epoch
        // and keep the newer reference, or the next in-order value would wrap again.
        return epoch_ - kWrap + ts;
    }
    last_ = ts;
    return epoch_ + ts;
}

} // namespace stagecast::protocol::rtmp
