#include "RelayApi.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QTest>

#include "Http.h"
#include "StudioProcess.h"

namespace stagecast::test {

QJsonObject relayStatus(const StudioProcess& studio, int index) {
    auto r = httpRequest("GET", QString("http://127.0.0.1:%1/api/v1/relays").arg(studio.httpPort()),
                         studio.apiToken());
    return r.json().value("relays").toArray().at(index).toObject();
}

bool waitForRelayState(const StudioProcess& studio, int index, const QString& state,
                       int timeoutMs) {
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        if (relayStatus(studio, index).value("state").toString() == state) {
            return true;
        }
        QTest::qWait(200);
    }
    return false;
}

} // namespace stagecast::test
