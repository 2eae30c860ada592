#include "Alerts.h"

#include <QElapsedTimer>
#include <QTest>

#include "Http.h"
#include "StudioProcess.h"

namespace stagecast::test {

QJsonArray listAlerts(StudioProcess& studio, const QString& query) {
    auto reply = httpRequest(
        "GET", QString("http://127.0.0.1:%1/api/v1/alerts?%2").arg(studio.httpPort()).arg(query),
        studio.apiToken());
    if (reply.status != 200) {
        qWarning("alerts: %d %s", reply.status, reply.body.constData());
        return {};
    }
    return reply.json().value("alerts").toArray();
}

QJsonObject waitForAlert(StudioProcess& studio, const QString& query, const QString& kind,
                         int timeoutMs) {
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        for (const auto& a : listAlerts(studio, query)) {
            if (a.toObject().value("kind").toString() == kind) {
                return a.toObject();
            }
        }
        QTest::qWait(250);
    }
    return {};
}

} // namespace stagecast::test
