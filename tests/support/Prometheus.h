#pragma once
// A checker for the Prometheus text exposition format 0.0.4, for tests of /metrics.

#include <QString>

namespace stagecast::test {

/// Empty when `text` is valid exposition text with at least one sample; otherwise the first
/// offending line.
QString prometheusProblem(const QString& text);

} // namespace stagecast::test
