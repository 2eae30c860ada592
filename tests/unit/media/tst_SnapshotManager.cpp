// SnapshotManager on a real Hub: it starts a snapshotter for each stream that is published
// (learnt from hub events), writes its latest.jpg, keeps at most max_streams running with the
// others waiting in arrival order, and hands a freed slot to the waiting stream.

#include <QTemporaryDir>
#include <QtTest>

#include "MediaFixtures.h"
#include "SampleCollector.h"
#include "media/snapshot/SnapshotManager.h"
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

SnapshotManagerOptions oneAtATime() {
    SnapshotManagerOptions options;
    options.maxStreams = 1;
    options.lingerAfterUnpublish = 0ms;
    options.runner.interval = 1s;
    return options;
}

} // namespace

class tst_SnapshotManager : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::vector<stream::PacketPtr> packets_;
    stream::StreamKey a_ = *stream::StreamKey::make("live", "a");
    stream::StreamKey b_ = *stream::StreamKey::make("live", "b");

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        const QString path = dir_.filePath("src.flv");
        QString log;
        QVERIFY2(test::runFfmpeg(test::h264AacFlvArgs("testsrc2=s=320x240:r=30",
                                                      test::sineMinus20dBFS(), 3, path),
                                 &log),
                 qPrintable(log));
        packets_ = test::flvPackets(path, &log);
        QVERIFY2(!packets_.empty(), qPrintable(log));
    }

    void followsPublishesWithinTheBound() {
        stream::Hub hub(stream::HubOptions{});
        SnapshotStore store(dir_.filePath("snaps").toStdString());
        SnapshotManager manager(hub, store, oneAtATime());
        manager.start();
        QVERIFY(manager.active().empty());

        auto first = publish(hub, a_);
        QVERIFY(test::pollUntil([&] { return manager.active() == std::vector{a_}; }, 10s));
        auto second = publish(hub, b_);
        QVERIFY(test::pollUntil([&] { return manager.waiting() == std::vector{b_}; }, 10s));
        QCOMPARE(manager.active(), std::vector{a_});

        // Subscribed already (waiting for packets): the whole file reaches it.
        for (const auto& p : packets_) {
            first->push(p);
        }
        QVERIFY(test::pollUntil([&] { return store.latest(a_).has_value(); }, 30s));
        QVERIFY(!store.latest(b_));
        QVERIFY(manager.status(a_)->written >= 1);

        first.reset(); // unpublished: the slot goes to live/b
        QVERIFY(test::pollUntil([&] { return manager.active() == std::vector{b_}; }, 10s));
        QVERIFY(manager.waiting().empty());
        QVERIFY(test::pollUntil(
            [&] {
                auto s = hub.snapshot(b_);
                return s && s->readers >= 1;
            },
            10s));
        for (const auto& p : packets_) {
            second->push(p);
        }
        QVERIFY(test::pollUntil([&] { return store.latest(b_).has_value(); }, 30s));
        manager.stop();
        QVERIFY(manager.active().empty());
        // Stopping left the pictures in place.
        QVERIFY(store.latest(a_) && store.latest(b_));
    }

    void picksUpStreamsAlreadyLive() {
        stream::Hub hub(stream::HubOptions{});
        auto live = publish(hub, a_);
        SnapshotStore store(dir_.filePath("already").toStdString());
        SnapshotManager manager(hub, store, oneAtATime());
        manager.start();
        QVERIFY(test::pollUntil([&] { return manager.active() == std::vector{a_}; }, 10s));
    }
};

QTEST_GUILESS_MAIN(tst_SnapshotManager)
#include "tst_SnapshotManager.moc"
