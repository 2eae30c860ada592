// AlertEngine with synthetic health samples and content flags on a fake clock: alerts open
// after their hold time, stay open while true, close with their duration, are stored, and a
// normal stream raises none.

#include <QtTest>

#include <QTemporaryDir>

#include "MonitorTestSupport.h"
#include "monitor/AlertEngine.h"
#include "store/Alerts.h"
#include "store/Database.h"
#include "store/StoreWriter.h"

using namespace stagecast;
using namespace stagecast::monitor;
using monitortest::at;
using monitortest::normal;
using namespace std::chrono_literals;

namespace {

struct Harness {
    std::vector<AlertEvent> events;
    store::Time now = at(0);
    AlertEngine engine;

    explicit Harness(AlertThresholds t = {}, store::StoreWriter* writer = nullptr)
        : engine(
              t, writer, [this](const AlertEvent& e) { events.push_back(e); },
              [this] { return now; }) {}

    /// One tick per second from `fromS` to `toS` (inclusive) with `make(second)` as the live set.
    template <typename Make>
    void run(int fromS, int toS, Make make) {
        for (int s = fromS; s <= toS; ++s) {
            now = at(s);
            engine.evaluate(make(s), now);
        }
    }

    int count(AlertKind kind, bool open) const {
        return static_cast<int>(std::count_if(events.begin(), events.end(), [&](const auto& e) {
            return e.kind == kind && e.isOpen() == open;
        }));
    }
};

std::vector<StreamHealth> one(StreamHealth h) {
    return {std::move(h)};
}

} // namespace

class tst_AlertEngine : public QObject {
    Q_OBJECT

private slots:
    void normalStreamRaisesNothing() {
        Harness h;
        // Ten minutes of an ordinary stream with the usual jitter of a VBR encoder.
        h.run(0, 600, [&](int s) {
            auto health = normal("live/a", s, at(s));
            health.videoKbps = 1500 + 400 * std::sin(s * 0.7);
            health.fps = 29.5 + (s % 3) * 0.5;
            health.sinceKeyframeS = (s % 2) * 1.0;
            return one(health);
        });
        QVERIFY2(h.events.empty(), h.events.empty() ? "" : h.events.front().details.c_str());
        QCOMPARE(h.engine.openCount(), std::size_t(0));
    }

    void streamDownOpensStaysAndClosesWithDuration() {
        Harness h; // streamDown 5 s
        h.run(0, 30, [&](int s) { return one(normal("live/a", s, at(s))); });
        // The publisher leaves after second 30: first missed at 31, so down for at least 5 s
        // only at 36 (never early: the drop happened somewhere in (30, 31]).
        h.run(31, 35, [](int) { return std::vector<StreamHealth>{}; });
        QCOMPARE(h.count(AlertKind::StreamDown, true), 0);
        h.run(36, 36, [](int) { return std::vector<StreamHealth>{}; });
        QCOMPARE(h.count(AlertKind::StreamDown, true), 1);
        const auto opened = h.events.back();
        QCOMPARE(opened.stream, std::string("live/a"));
        QVERIFY(opened.severity == store::AlertSeverity::Critical);
        QVERIFY(opened.openedAt == at(36));
        QVERIFY2(opened.details.find("rtmp from 127.0.0.1") != std::string::npos,
                 opened.details.c_str());
        // It stays open, opened once, while the stream stays away.
        h.run(36, 80, [](int) { return std::vector<StreamHealth>{}; });
        QCOMPARE(h.count(AlertKind::StreamDown, true), 1);
        QCOMPARE(h.engine.openCount(), std::size_t(1));
        // A new publisher: closed, with its duration.
        h.run(81, 81, [&](int s) { return one(normal("live/a", 0.2, at(s), 8)); });
        QCOMPARE(h.count(AlertKind::StreamDown, false), 1);
        const auto closed = h.events.back();
        QVERIFY(closed.closedAt == at(81));
        QCOMPARE(closed.duration, std::chrono::milliseconds(45'000));
        QCOMPARE(h.engine.openCount(), std::size_t(0));
    }

    void shortDropoutRaisesNothing() {
        Harness h;
        h.run(0, 20, [&](int s) { return one(normal("live/a", s, at(s))); });
        h.run(21, 24, [](int) { return std::vector<StreamHealth>{}; }); // 4 s < 5 s
        h.run(25, 40, [&](int s) { return one(normal("live/a", s - 25, at(s), 9)); });
        QVERIFY(h.events.empty());
    }

    void neverLiveStreamIsNotDown() {
        Harness h;
        // Content flags for a stream the sampler has not reported yet; then nothing at all.
        h.engine.onContent(*stream::StreamKey::make("live", "b"), ContentFlags{});
        h.run(0, 30, [](int) { return std::vector<StreamHealth>{}; });
        QVERIFY(h.events.empty());
    }

    void bitrateBelowRecentMedian() {
        Harness h; // 50% of the 60 s median for 5 s
        h.run(0, 60, [&](int s) { return one(normal("live/a", s, at(s))); });
        // Bitrate falls to 600 kbps total (< 50% of 1628): opens after 5 s.
        auto low = [&](int s) {
            auto health = normal("live/a", s, at(s));
            health.videoKbps = 500;
            health.audioKbps = 100;
            return one(health);
        };
        h.run(61, 65, low);
        QCOMPARE(h.count(AlertKind::BitrateLow, true), 0);
        h.run(66, 66, low);
        QCOMPARE(h.count(AlertKind::BitrateLow, true), 1);
        QVERIFY2(h.events.back().details.find("1628 kbps") != std::string::npos,
                 h.events.back().details.c_str());
        h.run(67, 75, low);
        QCOMPARE(h.count(AlertKind::BitrateLow, true), 1);
        // Back to normal: closed after 10 s open.
        h.run(76, 76, [&](int s) { return one(normal("live/a", s, at(s))); });
        QCOMPARE(h.count(AlertKind::BitrateLow, false), 1);
        QCOMPARE(h.events.back().duration, std::chrono::milliseconds(10'000));
    }

    void bitrateDropShorterThanHoldIsIgnored() {
        Harness h;
        h.run(0, 60, [&](int s) {
            auto health = normal("live/a", s, at(s));
            if (s >= 40 && s < 44) { // 4 s dip
                health.videoKbps = 100;
            }
            return one(health);
        });
        QVERIFY(h.events.empty());
    }

    void bitrateNeedsHistoryAndWarmup() {
        Harness h;
        // A stream that starts low and stays low: there is no "normal" to fall below.
        h.run(0, 60, [&](int s) {
            auto health = normal("live/a", s, at(s));
            health.videoKbps = s < 3 ? 2000 : 300; // the warm-up high is not judged
            return one(health);
        });
        QVERIFY(h.events.empty());
    }

    void newPublisherStartsNewHistory() {
        Harness h;
        h.run(0, 60, [&](int s) { return one(normal("live/a", s, at(s))); });
        // A reconnect at a quarter of the old bitrate (a different encoder setting): the old
        // publish's median does not apply.
        h.run(61, 120, [&](int s) {
            auto health = normal("live/a", s - 61, at(s), 8);
            health.videoKbps = 300;
            return one(health);
        });
        QVERIFY(h.events.empty());
    }

    void fpsBelowNominal() {
        Harness h; // 80% of nominal for 5 s
        h.run(0, 20, [&](int s) { return one(normal("live/a", s, at(s))); });
        h.run(21, 26, [&](int s) {
            auto health = normal("live/a", s, at(s));
            health.fps = 20; // < 24
            return one(health);
        });
        QCOMPARE(h.count(AlertKind::FpsLow, true), 1);
        QVERIFY(h.events.back().openedAt == at(26));
        h.run(27, 27, [&](int s) { return one(normal("live/a", s, at(s))); });
        QCOMPARE(h.count(AlertKind::FpsLow, false), 1);
    }

    void keyframeMissing() {
        Harness h; // 10 s
        h.run(0, 20, [&](int s) {
            auto health = normal("live/a", s, at(s));
            if (s >= 10) {
                health.sinceKeyframeS = s - 9.5; // the last keyframe at media second 9.5
            }
            return one(health);
        });
        QCOMPARE(h.count(AlertKind::KeyframeMissing, true), 1);
        QVERIFY(h.events.back().openedAt == at(20)); // 10.5 s > 10 s
        h.run(21, 21, [&](int s) { return one(normal("live/a", s, at(s))); });
        QCOMPARE(h.count(AlertKind::KeyframeMissing, false), 1);
    }

    void audioOnlyStreamHasNoVideoAlerts() {
        Harness h;
        h.run(0, 60, [&](int s) {
            auto health = normal("live/radio", s, at(s));
            health.videoCodec.clear();
            health.videoKbps = 0;
            health.fps = 0;
            health.nominalFps = 0;
            health.keyframeIntervalS = 0;
            health.sinceKeyframeS.reset();
            return one(health);
        });
        QVERIFY(h.events.empty());
    }

    void contentSilenceBlackLoudness() {
        Harness h; // silence/black 10 s, loudness > -10 LUFS for 5 s
        const auto key = *stream::StreamKey::make("live", "a");
        for (int s = 0; s <= 30; ++s) {
            h.now = at(s);
            h.engine.evaluate(one(normal("live/a", s, h.now)), h.now);
            ContentFlags flags;
            flags.silence = s >= 5;          // silent from second 5
            flags.black = s >= 10 && s < 18; // 8 s of black: below the limit
            flags.shortTermLufs = s >= 20 ? -6.0 : -23.0;
            h.engine.onContent(key, flags);
        }
        QCOMPARE(h.count(AlertKind::Silence, true), 1);
        QCOMPARE(h.count(AlertKind::Black, true), 0);
        QCOMPARE(h.count(AlertKind::LoudnessHigh, true), 1);
        const auto silence = std::find_if(h.events.begin(), h.events.end(), [](const auto& e) {
            return e.kind == AlertKind::Silence;
        });
        QVERIFY(silence->openedAt == at(15));
        QVERIFY(silence->severity == store::AlertSeverity::Critical);
        const auto loud = std::find_if(h.events.begin(), h.events.end(), [](const auto& e) {
            return e.kind == AlertKind::LoudnessHigh;
        });
        QVERIFY(loud->openedAt == at(25));
        // Sound returns: silence closes with its duration.
        h.now = at(31);
        ContentFlags normalFlags;
        normalFlags.shortTermLufs = -23;
        h.engine.onContent(key, normalFlags);
        QCOMPARE(h.count(AlertKind::Silence, false), 1);
        QCOMPARE(h.count(AlertKind::LoudnessHigh, false), 1);
        const auto closed = std::find_if(h.events.begin(), h.events.end(), [](const auto& e) {
            return e.kind == AlertKind::Silence && !e.isOpen();
        });
        QCOMPARE(closed->duration, std::chrono::milliseconds(16'000));
    }

    void contentFlagsGoStaleWhenTheProbeStops() {
        Harness h;
        const auto key = *stream::StreamKey::make("live", "a");
        for (int s = 0; s <= 12; ++s) {
            h.now = at(s);
            h.engine.evaluate(one(normal("live/a", s, h.now)), h.now);
            ContentFlags flags;
            flags.black = true;
            h.engine.onContent(key, flags);
        }
        QCOMPARE(h.count(AlertKind::Black, true), 1);
        // The probe says nothing more: after 5 s its last word no longer holds.
        h.run(13, 19, [&](int s) { return one(normal("live/a", s, at(s))); });
        QCOMPARE(h.count(AlertKind::Black, false), 1);
    }

    void streamDownClosesItsOtherAlerts() {
        Harness h;
        h.run(0, 20, [&](int s) {
            auto health = normal("live/a", s, at(s));
            health.fps = s >= 10 ? 10 : 30;
            return one(health);
        });
        QCOMPARE(h.count(AlertKind::FpsLow, true), 1);
        h.run(21, 21, [](int) { return std::vector<StreamHealth>{}; });
        QCOMPARE(h.count(AlertKind::FpsLow, false), 1);
        QCOMPARE(h.engine.openCount(), std::size_t(0)); // stream_down is not open yet
    }

    void alertsAreStored() {
        QTemporaryDir dir;
        auto db = store::Database::open(
            {std::filesystem::path(dir.path().toStdString()) / "stagecast.db", 5000ms});
        QVERIFY2(db.has_value(), db ? "" : db.error().message().c_str());
        store::StoreWriter writer(std::move(*db));
        AlertThresholds t;
        t.streamDown = 2s;
        Harness h(t, &writer);
        h.run(0, 10, [&](int s) { return one(normal("live/a", s, at(s))); });
        h.run(11, 20, [](int) { return std::vector<StreamHealth>{}; });
        writer.flush();
        auto reader = writer.openReader();
        QVERIFY(reader.has_value());
        store::AlertFilter open;
        open.openOnly = true;
        auto stored = store::Alerts::list(*reader, open);
        QVERIFY(stored.has_value());
        QCOMPARE(stored->size(), std::size_t(1));
        QCOMPARE(stored->front().kind, std::string("stream_down"));
        QCOMPARE(stored->front().stream, std::string("live/a"));
        QVERIFY(stored->front().openedAt == at(13));
        h.run(21, 21, [&](int s) { return one(normal("live/a", 0, at(s), 8)); });
        writer.flush();
        auto all = store::Alerts::list(*reader, {});
        QVERIFY(all.has_value());
        QCOMPARE(all->size(), std::size_t(1));
        QVERIFY(all->front().closedAt == at(21));
    }

    void kindNamesRoundTrip() {
        for (auto kind : {AlertKind::StreamDown, AlertKind::BitrateLow, AlertKind::FpsLow,
                          AlertKind::KeyframeMissing, AlertKind::Silence, AlertKind::Black,
                          AlertKind::Frozen, AlertKind::LoudnessHigh}) {
            QVERIFY(parseAlertKind(toString(kind)) == kind);
        }
        QVERIFY(!parseAlertKind("nope"));
    }
};

QTEST_APPLESS_MAIN(tst_AlertEngine)
#include "tst_AlertEngine.moc"
