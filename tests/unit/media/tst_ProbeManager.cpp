// ProbeManager with a real Hub: which streams get a probe, the bound on concurrent probes,
// explicit stream lists.

#include <QTemporaryDir>
#include <QtTest>

#include "MediaFixtures.h"
#include "SampleCollector.h"
#include "media/ProbeManager.h"
#include "stream/Hub.h"

using namespace stagecast;
using namespace stagecast::media;
using namespace std::chrono_literals;
using Entries = std::vector<test::SampleCollector::Entry>;
using Keys = std::vector<stream::StreamKey>;

namespace {

stream::StreamKey key(const char* name) {
    return *stream::StreamKey::make("live", name);
}

std::unique_ptr<stream::Publisher> publish(stream::Hub& hub, const stream::StreamKey& k) {
    auto publisher = hub.publish({.key = k, .who = {1, "test", "127.0.0.1"}, .onEvicted = {}});
    return publisher ? std::move(*publisher) : nullptr;
}

bool hasSampleFrom(const Entries& entries, const std::string& stream) {
    return std::any_of(entries.begin(), entries.end(), [&](const auto& e) {
        return e.stream == stream && e.sample.hasVideo && e.sample.hasAudio;
    });
}

} // namespace

/// The stream's runner has subscribed to the hub (so it sees every packet pushed from now).
static bool subscribed(const ProbeManager& manager, const stream::StreamKey& k) {
    auto status = manager.status(k);
    return status && status->subscriptions >= 1;
}

class tst_ProbeManager : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    std::vector<stream::PacketPtr> tone_;

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        const QString path = dir_.filePath("tone.flv");
        QString log;
        QVERIFY2(test::runFfmpeg(test::h264AacFlvArgs("testsrc2=s=320x240:r=30",
                                                      test::sineMinus20dBFS(), 4, path),
                                 &log),
                 qPrintable(log));
        tone_ = test::flvPackets(path, &log);
        QVERIFY2(!tone_.empty(), qPrintable(log));
    }

    void followsPublishedStreamsWithinTheBound() {
        stream::Hub hub(stream::HubOptions{});
        test::SampleCollector collector;
        ProbeManagerOptions options;
        options.maxProbes = 1;
        options.lingerAfterUnpublish = 0ms;
        ProbeManager manager(hub, options,
                             [&](const auto& k, const auto& s) { collector.add(k, s); });
        auto a = publish(hub, key("a")); // live before the manager starts
        manager.start();
        QVERIFY(test::pollUntil([&] { return manager.probed() == Keys{key("a")}; }));
        auto b = publish(hub, key("b"));
        QVERIFY(test::pollUntil([&] { return manager.waiting() == Keys{key("b")}; }));
        QCOMPARE(manager.probed(), Keys{key("a")});

        a.reset(); // unpublish: the slot goes to b
        QVERIFY(test::pollUntil([&] { return manager.probed() == Keys{key("b")}; }));
        QVERIFY(manager.waiting().empty());
        QVERIFY(test::pollUntil([&] { return subscribed(manager, key("b")); }));
        for (const auto& p : tone_) {
            b->push(p);
        }
        QVERIFY(collector.waitFor([](const Entries& e) { return hasSampleFrom(e, "live/b"); }));
        // status() is refreshed after each batch the worker drains.
        QVERIFY(test::pollUntil([&] { return manager.status(key("b"))->samplesDelivered >= 1; }));
        QVERIFY(!manager.status(key("a")));
        manager.stop();
        QVERIFY(manager.probed().empty());
    }

    void keepsTheProbeWhileAPublisherReconnects() {
        stream::Hub hub(stream::HubOptions{});
        ProbeManagerOptions options;
        options.lingerAfterUnpublish = 600s;
        ProbeManager manager(hub, options, {});
        manager.start();
        auto a = publish(hub, key("a"));
        QVERIFY(test::pollUntil([&] { return manager.probed() == Keys{key("a")}; }));
        a.reset();
        a = publish(hub, key("a"));
        a.reset();
        // Still the first runner: its subscription survived both changes.
        QVERIFY(test::pollUntil([&] {
            auto status = manager.status(key("a"));
            return status && status->subscriptions == 1;
        }));
        QCOMPARE(manager.probed(), Keys{key("a")});
    }

    void probesAnExplicitListOnly() {
        stream::Hub hub(stream::HubOptions{});
        test::SampleCollector collector;
        ProbeManagerOptions options;
        options.followPublished = false;
        ProbeManager manager(hub, options,
                             [&](const auto& k, const auto& s) { collector.add(k, s); });
        manager.start();
        manager.setStreams({key("c")});
        // Probed before it is published: the runner waits for the publisher.
        QVERIFY(test::pollUntil([&] { return manager.probed() == Keys{key("c")}; }));
        QVERIFY(test::pollUntil([&] { return subscribed(manager, key("c")); }));
        auto d = publish(hub, key("d"));
        auto c = publish(hub, key("c"));
        for (const auto& p : tone_) {
            c->push(p);
            d->push(p);
        }
        QVERIFY(collector.waitFor([](const Entries& e) { return hasSampleFrom(e, "live/c"); }));
        QCOMPARE(manager.probed(), Keys{key("c")});
        for (const auto& e : collector.entries()) {
            QCOMPARE(e.stream, std::string("live/c"));
        }
        manager.setStreams({});
        QVERIFY(test::pollUntil([&] { return manager.probed().empty(); }));
    }

    // The director's preview is published like any stream but not followed; pinning it
    // still probes it.
    void leavesNotFollowedStreamsAlone() {
        stream::Hub hub(stream::HubOptions{});
        ProbeManagerOptions options;
        options.notFollowed = {key("preview")};
        ProbeManager manager(hub, options, {});
        manager.start();
        auto preview = publish(hub, key("preview"));
        auto program = publish(hub, key("program"));
        QVERIFY(test::pollUntil([&] { return manager.probed() == Keys{key("program")}; }));
        QVERIFY(manager.waiting().empty());
        manager.setStreams({key("preview")});
        QVERIFY(test::pollUntil([&] {
            return manager.probed() == Keys{key("preview"), key("program")};
        }));
    }
};

QTEST_APPLESS_MAIN(tst_ProbeManager)
#include "tst_ProbeManager.moc"
