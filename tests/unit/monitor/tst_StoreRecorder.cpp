// StoreRecorder: hub events become publish and viewer sessions in a real SQLite file; start-up
// closes what a previous run left open.

#include <QtTest>

#include <QTemporaryDir>

#include "MonitorTestSupport.h"
#include "monitor/StoreRecorder.h"
#include "store/Alerts.h"
#include "store/Database.h"
#include "store/PublishSessions.h"
#include "store/StoreWriter.h"
#include "store/ViewerSessions.h"

using namespace stagecast;
using namespace stagecast::monitor;
using monitortest::at;
using stream::HubEvent;
using stream::HubEventType;
using namespace std::chrono_literals;

namespace {

HubEvent hubEvent(HubEventType type, int second, std::uint64_t id, const char* protocol,
                  const char* reason = "") {
    HubEvent e;
    e.type = type;
    e.time = at(second);
    e.stream = "live/a";
    e.clientId = id;
    e.protocol = protocol;
    e.address = "127.0.0.1";
    e.reason = reason;
    return e;
}

std::filesystem::path dbPath(const QTemporaryDir& dir) {
    return std::filesystem::path(dir.path().toStdString()) / "stagecast.db";
}

} // namespace

class tst_StoreRecorder : public QObject {
    Q_OBJECT

private slots:
    void eventsBecomeSessions() {
        QTemporaryDir dir;
        auto db = store::Database::open({dbPath(dir), 5000ms});
        QVERIFY(db.has_value());
        store::StoreWriter writer(std::move(*db));
        StoreRecorder recorder(writer);

        recorder.onHubEvent(hubEvent(HubEventType::Published, 0, 1, "rtmp"));
        auto join = hubEvent(HubEventType::ClientJoined, 2, 2, "http-flv");
        join.userAgent = "Lavf/59.27.100";
        recorder.onHubEvent(join);
        recorder.onHubEvent(hubEvent(HubEventType::ClientJoined, 3, 0, "rtmp-relay")); // a relay
        recorder.onHubEvent(hubEvent(HubEventType::AuthDenied, 3, 9, "rtmp", "bad signature"));
        auto left = hubEvent(HubEventType::ClientLeft, 7, 2, "http-flv", "stream ended");
        left.bytes = 123'456;
        recorder.onHubEvent(left);
        recorder.onHubEvent(hubEvent(HubEventType::Unpublished, 8, 1, "rtmp", "deleteStream"));
        writer.flush();
        QCOMPARE(recorder.refused(), std::uint64_t(0));

        auto reader = writer.openReader();
        QVERIFY(reader.has_value());
        auto publish = store::PublishSessions::list(*reader, {});
        QVERIFY(publish.has_value());
        QCOMPARE(publish->size(), std::size_t(1));
        const auto& p = publish->front();
        QCOMPARE(p.protocol, std::string("rtmp"));
        QVERIFY(p.startedAt == at(0));
        QVERIFY(p.endedAt == at(8));
        QCOMPARE(p.endReason, std::string("deleteStream"));

        auto viewers = store::ViewerSessions::list(*reader, {});
        QVERIFY(viewers.has_value());
        QCOMPARE(viewers->size(), std::size_t(1)); // the relay is not a viewer
        const auto& v = viewers->front();
        QCOMPARE(v.protocol, std::string("http-flv"));
        QCOMPARE(v.userAgent, std::string("Lavf/59.27.100"));
        QCOMPARE(v.bytes, std::int64_t(123'456));
        QVERIFY(v.startedAt == at(2));
        QVERIFY(v.endedAt == at(7));
    }

    void startupClosesWhatACrashLeftOpen() {
        QTemporaryDir dir;
        {
            // A run that ends without closing anything (as if killed).
            auto db = store::Database::open({dbPath(dir), 5000ms});
            QVERIFY(db.has_value());
            store::StoreWriter writer(std::move(*db));
            StoreRecorder recorder(writer);
            recorder.onHubEvent(hubEvent(HubEventType::Published, 0, 1, "rtmp"));
            recorder.onHubEvent(hubEvent(HubEventType::ClientJoined, 1, 2, "rtmp"));
            recorder.onHubEvent(hubEvent(HubEventType::ClientJoined, 1, 3, "http-flv"));
            auto alert = writer.submit([](store::WriteContext& c) {
                return store::Alerts::open(
                    c, {"live/a", "bitrate_low", store::AlertSeverity::Warning, at(5), "x"});
            });
            QVERIFY(alert.get().has_value());
        }
        auto db = store::Database::open({dbPath(dir), 5000ms});
        QVERIFY(db.has_value());
        store::StoreWriter writer(std::move(*db));
        auto closed = StoreRecorder::closeLeftOpen(writer, at(100));
        QVERIFY2(closed.has_value(), closed ? "" : closed.error().message().c_str());
        QCOMPARE(closed->publishSessions, std::int64_t(1));
        QCOMPARE(closed->viewerSessions, std::int64_t(2));
        QCOMPARE(closed->alerts, std::int64_t(1));
        auto reader = writer.openReader();
        QVERIFY(reader.has_value());
        auto publish = store::PublishSessions::list(*reader, {});
        QVERIFY(publish->front().endedAt == at(100));
        QVERIFY2(publish->front().endReason.find("crash") != std::string::npos,
                 publish->front().endReason.c_str());
        QCOMPARE(*store::ViewerSessions::countOpen(*reader, ""), std::int64_t(0));
        store::AlertFilter open;
        open.openOnly = true;
        QVERIFY(store::Alerts::list(*reader, open)->empty());

        // Nothing left: a second start-up closes nothing.
        closed = StoreRecorder::closeLeftOpen(writer, at(200));
        QVERIFY(closed.has_value());
        QCOMPARE(closed->publishSessions + closed->viewerSessions + closed->alerts,
                 std::int64_t(0));
    }
};

QTEST_APPLESS_MAIN(tst_StoreRecorder)
#include "tst_StoreRecorder.moc"
