#pragma once
// The monitoring alerts of a running studio over its API (/api/v1/alerts).

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace stagecast::test {

class StudioProcess;

/// GET /api/v1/alerts?`query` ("state=open&stream=live/a"): the "alerts" array; empty (and a
/// warning naming the status) when the request fails.
QJsonArray listAlerts(StudioProcess& studio, const QString& query);

/// Polls every 250 ms until `query` lists an alert of `kind`; empty after `timeoutMs`.
QJsonObject waitForAlert(StudioProcess& studio, const QString& query, const QString& kind,
                         int timeoutMs);

} // namespace stagecast::test
