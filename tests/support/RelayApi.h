#pragma once
// The relay list of a running studio's API, for relay tests.

#include <QJsonObject>
#include <QString>

namespace stagecast::test {

class StudioProcess;

/// Entry `index` of GET /api/v1/relays (empty when absent).
QJsonObject relayStatus(const StudioProcess& studio, int index);
/// Polls until relay `index` is in `state` ("publishing", "backoff"...).
bool waitForRelayState(const StudioProcess& studio, int index, const QString& state, int timeoutMs);

} // namespace stagecast::test
