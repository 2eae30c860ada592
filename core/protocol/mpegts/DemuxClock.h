#pragma once
/// The 33-bit 90 kHz PTS/DTS of ISO/IEC 13818-1 2.4.3.7 unwrapped into one continuous 64-bit
/// timeline. One clock serves every stream of a program, so the wrap offset is the same for
/// audio and video and their sync holds across the wrap (every 26.5 hours).

#include <cstdint>

namespace stagecast::protocol::mpegts::demux {

inline constexpr std::int64_t kTsClockHz = 90000;

class DemuxClock {
public:
    /// The unwrapped value of `ts33` (its low 33 bits): the one closest to the previous
    /// result, so values may step back a little (pts after dts, audio before video) without
    /// being mistaken for a wrap.
    std::int64_t unwrap(std::uint64_t ts33) {
        constexpr std::int64_t kWrap = std::int64_t{1} << 33;
        const auto raw = static_cast<std::int64_t>(ts33 & (kWrap - 1));
        if (!started_) {
            started_ = true;
            last_ = raw;
            return raw;
        }
        std::int64_t delta = (raw - last_) & (kWrap - 1);
        if (delta >= kWrap / 2) {
            delta -= kWrap;
        }
        last_ += delta;
        return last_;
    }

private:
    bool started_ = false;
    std::int64_t last_ = 0;
};

/// 90 kHz ticks to milliseconds, rounding toward minus infinity so that
/// ms(pts) - ms(dts) is the composition offset of the rounded times.
inline std::int64_t ticksToMs(std::int64_t ticks) {
    const std::int64_t q = ticks / 90;
    return (ticks % 90 < 0) ? q - 1 : q;
}

} // namespace stagecast::protocol::mpegts::demux
