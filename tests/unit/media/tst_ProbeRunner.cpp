// ProbeRunner against a real Hub: packets from ffmpeg-made files pushed through a Publisher.

#include <QTemporaryDir>
#include <QtTest>
#include <semaphore>

#include "MediaFixtures.h"
#include "SampleCollector.h"
#include "media/ProbeRunner.h"
#include "stream/Hub.h"

using namespace stagecast;
using namespace stagecast::media;
using namespace std::chrono_literals;
using Entries = std::vector<test::SampleCollector::Entry>;

namespace {

std::unique_ptr<stream::Publisher> publish(stream::Hub& hub, const stream::StreamKey& key) {
    auto publisher = hub.publish({.key = key, .who = {1, "test", "127.0.0.1"}, .onEvicted = {}});
    return publisher ? std::move(*publisher) : nullptr;
}

std::size_t countWhere(const Entries& entries,
                       const std::function<bool(const ContentSample&)>& predicate) {
    return static_cast<std::size_t>(std::count_if(
        entries.begin(), entries.end(), [&](const auto& e) { return predicate(e.sample); }));
}

ProbeRunnerOptions keepEverything() {
    // Large enough that this test never skips, whatever the machine's speed.
    ProbeRunnerOptions options;
    options.readerPolicy.skipBacklog = 600s;
    options.readerPolicy.maxBacklogBytes = 256 * 1024 * 1024;
    return options;
}

} // namespace

class tst_ProbeRunner : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    std::vector<stream::PacketPtr> black_;
    std::vector<stream::PacketPtr> tone_;
    stream::StreamKey key_ = *stream::StreamKey::make("live", "probe");

    std::vector<stream::PacketPtr> make(const QString& name, const QString& video,
                                        const QString& audio, double seconds) {
        const QString path = dir_.filePath(name);
        QString log;
        if (!test::runFfmpeg(test::h264AacFlvArgs(video, audio, seconds, path), &log)) {
            qWarning() << log;
            return {};
        }
        auto packets = test::flvPackets(path, &log);
        if (packets.empty()) {
            qWarning() << log;
        }
        return packets;
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        black_ = make("black.flv", "color=c=black:s=320x240:r=30", "anullsrc=r=48000:cl=stereo", 5);
        tone_ = make("tone.flv", "testsrc2=s=320x240:r=30", test::sineMinus20dBFS(), 8);
        QVERIFY(!black_.empty() && !tone_.empty());
    }

    void deliversSamplesFromItsOwnThread() {
        stream::Hub hub(stream::HubOptions{});
        test::SampleCollector collector;
        ProbeRunner runner(hub, key_, keepEverything(),
                           [&](const auto& key, const auto& s) { collector.add(key, s); });
        runner.start(); // before anyone publishes: it waits for the publisher
        // Subscribed (waiting for the publisher) before the test pushes, so it sees every packet.
        QVERIFY(test::pollUntil([&] { return runner.status().subscriptions == 1; }));
        auto publisher = publish(hub, key_);
        QVERIFY(publisher);
        for (const auto& p : tone_) {
            publisher->push(p);
        }
        QVERIFY(collector.waitFor([](const Entries& e) { return e.size() >= 7; }));
        runner.stop();
        const auto entries = collector.entries();
        for (const auto& e : entries) {
            QCOMPARE(e.stream, key_.str());
            QVERIFY(e.thread != std::this_thread::get_id());
            QVERIFY(e.thread == entries.front().thread);
            QVERIFY(e.sample.hasAudio && !e.sample.silent);
            QVERIFY(e.sample.hasVideo && !e.sample.black && !e.sample.frozen);
        }
        const auto status = runner.status();
        QVERIFY(!status.running);
        QCOMPARE(status.subscriptions, 1U);
        QCOMPARE(status.samplesDelivered, static_cast<std::uint64_t>(entries.size()));
        QCOMPARE(status.reader.droppedPackets, 0U);
        QVERIFY(status.probe.picturesAnalyzed >= 7);
    }

    void survivesUnpublishAndRepublish() {
        stream::Hub hub(stream::HubOptions{});
        test::SampleCollector collector;
        ProbeRunner runner(hub, key_, keepEverything(),
                           [&](const auto& key, const auto& s) { collector.add(key, s); });
        runner.start();
        // Subscribed (waiting for the publisher) before the test pushes, so it sees every packet.
        QVERIFY(test::pollUntil([&] { return runner.status().subscriptions == 1; }));
        {
            auto first = publish(hub, key_);
            QVERIFY(first);
            for (const auto& p : black_) {
                first->push(p);
            }
            QVERIFY(collector.waitFor([](const Entries& e) {
                return countWhere(e, [](const auto& s) { return s.black && s.silent; }) >= 4;
            }));
        } // unpublished
        QVERIFY(!hub.snapshot(key_)->live);
        auto second = publish(hub, key_);
        QVERIFY(second);
        for (const auto& p : tone_) {
            second->push(p);
        }
        QVERIFY(collector.waitFor([](const Entries& e) {
            return countWhere(e, [](const auto& s) {
                       return s.hasVideo && !s.black && s.hasAudio && !s.silent;
                   }) >= 5;
        }));
        QCOMPARE(runner.status().subscriptions, 1U); // the same subscription all along
        // The counters as of the newest sample (status() is refreshed after each batch).
        QCOMPARE(collector.entries().back().sample.counters.timelineResets, 1U);
    }

    void dropsByGopWhenBehind() {
        stream::Hub hub(stream::HubOptions{});
        test::SampleCollector collector;
        std::binary_semaphore blocked(0);
        std::binary_semaphore release(0);
        bool first = true;
        ProbeRunnerOptions options; // the default policy: skip past 2 s of backlog
        ProbeRunner runner(hub, key_, options, [&](const auto& key, const auto& s) {
            if (first) {
                // A slow consumer: the worker stops here until the test has pushed the rest.
                first = false;
                blocked.release();
                release.acquire();
            }
            collector.add(key, s);
        });
        runner.start();
        // Subscribed (waiting for the publisher) before the test pushes, so it sees every packet.
        QVERIFY(test::pollUntil([&] { return runner.status().subscriptions == 1; }));
        auto publisher = publish(hub, key_);
        QVERIFY(publisher);
        std::size_t i = 0;
        for (; i < tone_.size() && tone_[i]->dts <= 1500ms; ++i) {
            publisher->push(tone_[i]);
        }
        QVERIFY(blocked.try_acquire_for(60s));
        for (; i < tone_.size(); ++i) {
            publisher->push(tone_[i]); // 6.5 s more while the worker is stuck
        }
        release.release();
        // The worker got only the newest GOP; it is still subscribed and keeps measuring:
        // feed three more seconds, one at a time, each closing one sample interval.
        for (int second = 8; second < 11; ++second) {
            const auto from = std::chrono::milliseconds((second - 8) * 1000);
            for (const auto& p : tone_) {
                if (!p->config && p->dts >= from && p->dts < from + 1000ms) {
                    auto later = std::make_shared<stream::MediaPacket>(*p);
                    later->dts += 8000ms;
                    publisher->push(later);
                }
            }
            const auto closed = std::chrono::milliseconds(second * 1000);
            QVERIFY(collector.waitFor([&](const Entries& e) {
                return !e.empty() && e.back().sample.mediaTime >= closed;
            }));
        }
        runner.stop();
        const auto status = runner.status();
        QVERIFY(status.reader.skips >= 1);
        QVERIFY(status.reader.droppedPackets > 0);
        QCOMPARE(status.subscriptions, 1U); // skipped, not disconnected
        const auto last = collector.entries().back().sample;
        QCOMPARE(last.mediaTime.count(), 10000);
        QVERIFY(last.pictureTime >= 9000ms);
        QVERIFY(last.hasVideo && !last.black);
        QVERIFY(last.hasAudio && !last.silent);
    }

    void stopIsPromptWithoutPublisherAndIdempotent() {
        stream::Hub hub(stream::HubOptions{});
        ProbeRunner runner(hub, key_, {}, {});
        runner.start();
        QVERIFY(test::pollUntil([&] { return runner.status().subscriptions == 1; }));
        QCOMPARE(hub.snapshot(key_)->readers, 1U);
        runner.stop();
        runner.stop();
        QVERIFY(!hub.snapshot(key_)); // unsubscribed: the idle stream is gone
    }
};

QTEST_APPLESS_MAIN(tst_ProbeRunner)
#include "tst_ProbeRunner.moc"
