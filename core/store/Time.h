#pragma once
/// Time as the store keeps it: Unix milliseconds (INTEGER columns), typed in C++.

#include <chrono>
#include <cstdint>

namespace stagecast::store {

/// A wall-clock instant with millisecond resolution; stored as INTEGER Unix ms.
using Time = std::chrono::sys_time<std::chrono::milliseconds>;

inline std::int64_t toUnixMs(Time t) {
    return t.time_since_epoch().count();
}

inline Time fromUnixMs(std::int64_t ms) {
    return Time{std::chrono::milliseconds{ms}};
}

/// Converts any system_clock instant (e.g. stream::HubEvent::time), truncating to ms.
inline Time toStoreTime(std::chrono::system_clock::time_point t) {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(t);
}

} // namespace stagecast::store
