#pragma once
/// The retry policy of webhook deliveries: which failures are retried and after how long.
/// Pure functions, thread-safe.

#include <chrono>

namespace stagecast::server::webhook {

/// Delay before retry number `retry` (1 = the first retry): `base` * 2^(retry-1), at most
/// `cap`, then scaled by the jitter factor 0.8 + 0.4 * `unit` (`unit` uniform in [0, 1); it
/// is clamped into that range). Jitter keeps many events that failed together (a receiver
/// restart) from all coming back in the same millisecond.
std::chrono::milliseconds retryDelay(unsigned retry, std::chrono::milliseconds base,
                                     std::chrono::milliseconds cap, double unit);

/// True when a failed attempt is worth repeating: no answer at all (`status` 0: connection
/// refused, reset, timeout), 408, 429 and 5xx. Other answers are the receiver's verdict.
bool isRetryable(unsigned status);

} // namespace stagecast::server::webhook
