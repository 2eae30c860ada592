// RecordingService against a real Hub: stream patterns, rule recorders that follow publishes
// and stop after the resume window, on-demand recorders with their errors and bound, and the
// disk guard refusing to start below its threshold.

#include <QTemporaryDir>
#include <QtTest>

#include "MediaFixtures.h"
#include "RecordingChecks.h"
#include "SampleCollector.h"
#include "media/RecordingService.h"
#include "stream/Hub.h"

using namespace stagecast;
using namespace stagecast::media;
using namespace std::chrono_literals;
using record::RecordingEvent;
using record::RecordingEventType;
using test::EventLog;

namespace {

stream::StreamKey keyOf(const char* text) {
    return *stream::StreamKey::parse(text);
}

std::unique_ptr<stream::Publisher> publish(stream::Hub& hub, const stream::StreamKey& key) {
    auto publisher = hub.publish({.key = key, .who = {1, "test", "127.0.0.1"}, .onEvicted = {}});
    return publisher ? std::move(*publisher) : nullptr;
}

} // namespace

class tst_RecordingService : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::vector<stream::PacketPtr> media_;
    int folders_ = 0;

    RecordingServiceOptions options() {
        RecordingServiceOptions o;
        o.recording.folder = dir_.filePath("rec" + QString::number(++folders_)).toStdString();
        o.recording.resumeWindow = 200ms;
        o.recording.readerPolicy.skipBacklog = 600s;
        o.recording.readerPolicy.maxBacklogBytes = 512 * 1024 * 1024;
        o.minFreeBytes = 0;
        o.stopGrace = 200ms;
        return o;
    }

    static bool hasStarted(const EventLog& log, const std::string& stream) {
        for (const auto& e : log.of(RecordingEventType::Started)) {
            if (e.stream == stream) {
                return true;
            }
        }
        return false;
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        const QString path = dir_.filePath("two.flv");
        QString log;
        QVERIFY2(test::runFfmpeg(test::h264AacFlvArgs("testsrc2=s=160x120:r=30",
                                                      test::sineMinus20dBFS(), 2, path),
                                 &log),
                 qPrintable(log));
        media_ = test::flvPackets(path, &log);
        QVERIFY2(!media_.empty(), qPrintable(log));
    }

    void patterns_data() {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("stream");
        QTest::addColumn<bool>("matches");
        QTest::newRow("exact") << "live/a"
                               << "live/a" << true;
        QTest::newRow("other name") << "live/a"
                                    << "live/b" << false;
        QTest::newRow("any name") << "live/*"
                                  << "live/b" << true;
        QTest::newRow("any name, other app") << "live/*"
                                             << "vod/b" << false;
        QTest::newRow("any app") << "*/main"
                                 << "studio/main" << true;
        QTest::newRow("everything") << "*/*"
                                    << "x/y" << true;
        QTest::newRow("no slash") << "live"
                                  << "live/a" << false;
        QTest::newRow("prefix is not a pattern") << "live/a*"
                                                 << "live/ab" << false;
    }

    void patterns() {
        QFETCH(QString, pattern);
        QFETCH(QString, stream);
        QFETCH(bool, matches);
        QCOMPARE(matchesPattern(pattern.toStdString(), keyOf(qPrintable(stream))), matches);
    }

    void ruleFollowsPublishes() {
        stream::Hub hub(stream::HubOptions{});
        auto o = options();
        o.patterns = {"live/*"};
        EventLog events;
        RecordingService service(hub, o, [&](const RecordingEvent& e) { events.add(e); }, {});
        service.start();
        {
            auto recorded = publish(hub, keyOf("live/a"));
            auto ignored = publish(hub, keyOf("vod/b"));
            QVERIFY(recorded && ignored);
            QVERIFY(test::pollUntil([&] { return service.active().size() == 1; }));
            QCOMPARE(service.active().front().key.str(), std::string("live/a"));
            QCOMPARE(service.active().front().origin, RecordingOrigin::Rule);
            QVERIFY(test::pollUntil(
                [&] { return service.active().front().status.subscriptions == 1; }));
            for (const auto& p : media_) {
                recorded->push(p);
                ignored->push(p);
            }
            QVERIFY(events.waitFor([](const RecordingEvent& e) {
                return e.type == RecordingEventType::Started && e.stream == "live/a";
            }));
        } // both unpublished
        // Gone past the resume window and the grace: the recorder stops, its file complete.
        QVERIFY(test::pollUntil([&] { return service.active().empty(); }));
        QVERIFY(events.waitForFinished(1));
        QCOMPARE(events.of(RecordingEventType::Finished).front().state,
                 record::RecordingState::Complete);
        QVERIFY(!hasStarted(events, "vod/b"));
        service.stop();
    }

    void onDemandErrorsAndBound() {
        stream::Hub hub(stream::HubOptions{});
        auto o = options();
        o.maxRecorders = 1;
        RecordingService service(hub, o, {}, {});
        QVERIFY(!service.startRecording(keyOf("live/a"))); // not started yet
        service.start();
        QVERIFY(service.startRecording(keyOf("live/a")));
        auto twice = service.startRecording(keyOf("live/a"));
        QVERIFY(!twice);
        QCOMPARE(twice.error().message(), std::string("live/a is already being recorded"));
        auto full = service.startRecording(keyOf("live/b"));
        QVERIFY(!full);
        QVERIFY2(full.error().message().find("record.max_recorders") != std::string::npos,
                 full.error().message().c_str());
        QCOMPARE(service.active().front().origin, RecordingOrigin::Demand);
        QVERIFY(service.stopRecording(keyOf("live/a")));
        QVERIFY(!service.stopRecording(keyOf("live/a")));
        QVERIFY(service.active().empty());
        QVERIFY(service.startRecording(keyOf("live/b")));
        service.stop();
    }

    void diskGuardRefusesBelowThreshold() {
        stream::Hub hub(stream::HubOptions{});
        auto o = options();
        o.patterns = {"live/*"};
        o.minFreeBytes = std::uint64_t{1} << 60; // more than any disk has
        std::vector<DiskState> reports;
        std::mutex mutex;
        RecordingService service(hub, o, {}, [&](const DiskState& s, const auto&) {
            std::lock_guard lock(mutex);
            reports.push_back(s);
        });
        service.start();
        QVERIFY(service.disk().low);
        QVERIFY(service.disk().availableBytes > 0);
        {
            std::lock_guard lock(mutex);
            QCOMPARE(reports.size(), std::size_t{1});
            QVERIFY(reports.front().low);
        }
        auto refused = service.startRecording(keyOf("live/a"));
        QVERIFY(!refused);
        QVERIFY2(refused.error().message().starts_with("not enough disk space"),
                 refused.error().message().c_str());
        auto publisher = publish(hub, keyOf("live/rule"));
        QTest::qWait(500);
        QVERIFY(service.active().empty()); // the rule does not start either
        service.stop();
    }
};

QTEST_APPLESS_MAIN(tst_RecordingService)
#include "tst_RecordingService.moc"
