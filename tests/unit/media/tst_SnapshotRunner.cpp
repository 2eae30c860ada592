// SnapshotRunner against a real Hub fed with packets of an ffmpeg-made H.264 file: one picture
// per interval of media time (the first keyframe once it is due), latest.jpg a decodable
// 320-wide JPEG, and a runner whose folder is unwritable counts and reports the failure while a
// runner of another stream on the same hub carries on.

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "MediaFixtures.h"
#include "SampleCollector.h"
#include "media/snapshot/SnapshotRunner.h"
#include "stream/Hub.h"

using namespace stagecast;
using namespace stagecast::media::snapshot;
using namespace std::chrono_literals;
namespace test = stagecast::media::test;

namespace {

std::unique_ptr<stream::Publisher> publish(stream::Hub& hub, const stream::StreamKey& key) {
    auto publisher = hub.publish({.key = key, .who = {1, "test", "127.0.0.1"}, .onEvicted = {}});
    return publisher ? std::move(*publisher) : nullptr;
}

std::string describe(const SnapshotStatus& s) {
    return "written " + std::to_string(s.written) + ", decode failures " +
           std::to_string(s.decodeFailures) + ", write failures " +
           std::to_string(s.writeFailures) + ", keyframes skipped " +
           std::to_string(s.keyframesSkipped) + ", last error: " + s.lastError;
}

SnapshotRunnerOptions everyTwoSeconds() {
    SnapshotRunnerOptions options;
    options.interval = 2s;
    // Never skip here, whatever the machine's speed: the count of pictures is the assertion.
    options.readerPolicy.skipBacklog = 600s;
    options.readerPolicy.maxBacklogBytes = 256 * 1024 * 1024;
    return options;
}

} // namespace

class tst_SnapshotRunner : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::vector<stream::PacketPtr> packets_; // 6 s of 640x360 testsrc2, a keyframe each second

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        const QString path = dir_.filePath("src.flv");
        QString log;
        QVERIFY2(test::runFfmpeg(test::h264AacFlvArgs("testsrc2=s=640x360:r=30",
                                                      test::sineMinus20dBFS(), 6, path),
                                 &log),
                 qPrintable(log));
        packets_ = test::flvPackets(path, &log);
        QVERIFY2(!packets_.empty(), qPrintable(log));
    }

    void onePicturePerInterval() {
        stream::Hub hub(stream::HubOptions{});
        const auto key = *stream::StreamKey::make("live", "a");
        SnapshotStore store(dir_.filePath("snaps").toStdString());
        SnapshotRunner runner(hub, key, store, everyTwoSeconds());
        auto publisher = publish(hub, key);
        QVERIFY(publisher);
        runner.start();
        // Subscribed before the packets go in (the hub's GOP cache would otherwise hand it
        // only the last GOP).
        QVERIFY(test::pollUntil([&] {
            auto s = hub.snapshot(key);
            return s && s->readers >= 1;
        }));
        for (const auto& p : packets_) {
            publisher->push(p);
        }
        // Keyframes at 0..5 s, due every 2 s: pictures from 0, 2 and 4 s.
        QVERIFY2(test::pollUntil([&] { return runner.status().written >= 3; }, 30s),
                 describe(runner.status()).c_str());
        std::this_thread::sleep_for(200ms);
        runner.stop();
        const auto status = runner.status();
        QCOMPARE(status.written, 3U);
        QCOMPARE(status.decodeFailures, 0U);
        QCOMPARE(status.writeFailures, 0U);
        QCOMPARE(status.width, 320);
        QCOMPARE(status.height, 180);
        QVERIFY(status.lastError.empty());

        QString log;
        const auto probed = test::ffprobeJson(
            {"-show_streams", QString::fromStdString(store.latestPath(key).string())}, &log);
        const auto stream = probed.value("streams").toArray().at(0).toObject();
        QCOMPARE(stream.value("codec_name").toString(), QString("mjpeg"));
        QCOMPARE(stream.value("width").toInt(), 320);
        QCOMPARE(stream.value("height").toInt(), 180);
    }

    void unwritableFolderIsCountedAndOthersCarryOn() {
        stream::Hub hub(stream::HubOptions{});
        const auto good = *stream::StreamKey::make("live", "good");
        const auto bad = *stream::StreamKey::make("live", "bad");
        QFile blocker(dir_.filePath("blocked"));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        SnapshotStore goodStore(dir_.filePath("good").toStdString());
        SnapshotStore badStore(dir_.filePath("blocked/snaps").toStdString());
        SnapshotRunner goodRunner(hub, good, goodStore, everyTwoSeconds());
        SnapshotRunner badRunner(hub, bad, badStore, everyTwoSeconds());
        auto goodPublisher = publish(hub, good);
        auto badPublisher = publish(hub, bad);
        QVERIFY(goodPublisher && badPublisher);
        goodRunner.start();
        badRunner.start();
        QVERIFY(test::pollUntil([&] {
            auto a = hub.snapshot(good);
            auto b = hub.snapshot(bad);
            return a && b && a->readers >= 1 && b->readers >= 1;
        }));
        for (const auto& p : packets_) {
            badPublisher->push(p);
            goodPublisher->push(p);
        }
        QVERIFY2(test::pollUntil([&] { return badRunner.status().writeFailures >= 3; }, 30s),
                 describe(badRunner.status()).c_str());
        QVERIFY2(test::pollUntil([&] { return goodRunner.status().written >= 3; }, 30s),
                 describe(goodRunner.status()).c_str());
        const auto status = badRunner.status();
        QCOMPARE(status.written, 0U);
        QVERIFY2(status.lastError.starts_with("cannot write snapshot " +
                                              badStore.latestPath(bad).string() + ": "),
                 status.lastError.c_str());
        QVERIFY(goodStore.latest(good));
        // The hub's own readers saw everything: the failing runner never held the publisher.
        QCOMPARE(hub.snapshot(bad)->readers, std::size_t(1));
    }
};

QTEST_GUILESS_MAIN(tst_SnapshotRunner)
#include "tst_SnapshotRunner.moc"
