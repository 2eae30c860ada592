// ViewerStats from hub events: concurrent and peak per stream and protocol, unique viewers,
// average watch time of ended sessions; relays are not viewers.

#include <QtTest>

#include "monitor/ViewerStats.h"

using namespace stagecast;
using namespace stagecast::monitor;
using stream::HubEvent;
using stream::HubEventType;

namespace {

std::chrono::system_clock::time_point t(int seconds) {
    return std::chrono::system_clock::time_point{} + std::chrono::seconds(1'767'225'600 + seconds);
}

HubEvent event(HubEventType type, int second, const char* stream, std::uint64_t id,
               const char* protocol, const char* address, const char* agent = "") {
    HubEvent e;
    e.type = type;
    e.time = t(second);
    e.stream = stream;
    e.clientId = id;
    e.protocol = protocol;
    e.address = address;
    e.userAgent = agent;
    return e;
}

void join(ViewerStats& v, int s, const char* stream, std::uint64_t id, const char* protocol,
          const char* address, const char* agent = "") {
    v.onHubEvent(event(HubEventType::ClientJoined, s, stream, id, protocol, address, agent));
}

void leave(ViewerStats& v, int s, const char* stream, std::uint64_t id, const char* protocol) {
    v.onHubEvent(event(HubEventType::ClientLeft, s, stream, id, protocol, "ignored"));
}

const StreamViewers* find(const ViewersReport& r, const std::string& stream) {
    for (const auto& s : r.streams) {
        if (s.stream == stream) {
            return &s;
        }
    }
    return nullptr;
}

} // namespace

class tst_ViewerStats : public QObject {
    Q_OBJECT

private slots:
    void concurrentPeakAndProtocols() {
        ViewerStats v;
        join(v, 0, "live/a", 1, "rtmp", "10.0.0.1", "LNX 9,0,124,2");
        join(v, 1, "live/a", 2, "http-flv", "10.0.0.2", "Lavf/59.27.100");
        join(v, 2, "live/a", 3, "http-flv", "10.0.0.3", "Mozilla/5.0");
        join(v, 3, "live/b", 4, "rtmp", "10.0.0.1", "LNX 9,0,124,2");
        auto r = v.report();
        QCOMPARE(r.viewers.current, std::size_t(4));
        QCOMPARE(r.viewers.peak, std::size_t(4));
        QCOMPARE(r.byProtocol["rtmp"].current, std::size_t(2));
        QCOMPARE(r.byProtocol["http-flv"].current, std::size_t(2));
        const auto* a = find(r, "live/a");
        QVERIFY(a);
        QCOMPARE(a->viewers.current, std::size_t(3));
        QCOMPARE(a->byProtocol.at("http-flv").current, std::size_t(2));
        QCOMPARE(v.viewersByProtocol("live/a"),
                 (std::map<std::string, std::size_t>{{"http-flv", 2}, {"rtmp", 1}}));

        leave(v, 10, "live/a", 2, "http-flv");
        leave(v, 12, "live/a", 3, "http-flv");
        r = v.report();
        a = find(r, "live/a");
        QCOMPARE(a->viewers.current, std::size_t(1));
        QCOMPARE(a->viewers.peak, std::size_t(3)); // the peak stays
        QCOMPARE(a->byProtocol.at("http-flv").current, std::size_t(0));
        QCOMPARE(a->byProtocol.at("http-flv").peak, std::size_t(2));
        QCOMPARE(r.viewers.current, std::size_t(2));
        QCOMPARE(r.viewers.peak, std::size_t(4));
        QCOMPARE(v.viewersByProtocol("live/a"), (std::map<std::string, std::size_t>{{"rtmp", 1}}));
    }

    void uniqueViewersByAddressAndAgent() {
        ViewerStats v;
        // The same player reconnecting three times is one viewer; another agent on the same
        // address (a second device behind one NAT) is another.
        join(v, 0, "live/a", 1, "http-flv", "10.0.0.1", "Mozilla/5.0 (X11)");
        leave(v, 5, "live/a", 1, "http-flv");
        join(v, 6, "live/a", 2, "http-flv", "10.0.0.1", "Mozilla/5.0 (X11)");
        leave(v, 9, "live/a", 2, "http-flv");
        join(v, 10, "live/a", 3, "http-flv", "10.0.0.1", "Mozilla/5.0 (X11)");
        join(v, 11, "live/a", 4, "http-flv", "10.0.0.1", "Mozilla/5.0 (iPhone)");
        join(v, 12, "live/b", 5, "rtmp", "10.0.0.9", "");
        auto r = v.report();
        QCOMPARE(r.unique, std::uint64_t(3));
        QVERIFY(!r.uniqueCapped);
        QCOMPARE(find(r, "live/a")->unique, std::uint64_t(2));
        QCOMPARE(find(r, "live/b")->unique, std::uint64_t(1));
    }

    void averageWatchTimeOfEndedSessions() {
        ViewerStats v;
        join(v, 0, "live/a", 1, "rtmp", "10.0.0.1");
        join(v, 0, "live/a", 2, "rtmp", "10.0.0.2");
        join(v, 0, "live/b", 3, "rtmp", "10.0.0.3");
        leave(v, 10, "live/a", 1, "rtmp");
        leave(v, 30, "live/a", 2, "rtmp");
        auto r = v.report();
        QCOMPARE(r.sessionsEnded, std::uint64_t(2));
        QCOMPARE(r.averageWatch, std::chrono::milliseconds(20'000));
        QCOMPARE(find(r, "live/a")->averageWatch, std::chrono::milliseconds(20'000));
        QCOMPARE(find(r, "live/b")->averageWatch, std::chrono::milliseconds(0)); // still watching
    }

    void relaysAndStrayEventsAreNotViewers() {
        ViewerStats v;
        join(v, 0, "live/a", 0, "rtmp-relay", "cdn.example");
        leave(v, 1, "live/a", 99, "rtmp"); // never joined
        join(v, 2, "live/a", 5, "rtmp", "10.0.0.1");
        join(v, 3, "live/a", 5, "rtmp", "10.0.0.1"); // duplicate join of one client
        auto r = v.report();
        QCOMPARE(r.viewers.current, std::size_t(1));
        QCOMPARE(r.sessionsEnded, std::uint64_t(0));
        QVERIFY(r.byProtocol.find("rtmp-relay") == r.byProtocol.end());
    }

    void idleStreamsAreForgottenPastTheBound() {
        ViewerStats v;
        const auto n = static_cast<std::uint64_t>(ViewerStats::kMaxStreams);
        for (std::uint64_t i = 1; i <= n + 10; ++i) {
            const auto name = "live/s" + std::to_string(i);
            join(v, 0, name.c_str(), i, "rtmp", "10.0.0.1");
            if (i > 1) {
                leave(v, 1, name.c_str(), i, "rtmp");
            }
        }
        auto r = v.report();
        QVERIFY(r.streams.size() <= ViewerStats::kMaxStreams);
        QVERIFY(find(r, "live/s1")); // someone still watches it: kept
        QCOMPARE(r.viewers.current, std::size_t(1));
    }
};

QTEST_APPLESS_MAIN(tst_ViewerStats)
#include "tst_ViewerStats.moc"
