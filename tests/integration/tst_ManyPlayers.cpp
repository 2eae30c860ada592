// 50 players at once (RTMP and HTTP-FLV mixed) all receive the stream; one player that never
// reads does not lower the others' throughput and is dropped as "too slow".

#include <QJsonArray>
#include <QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "FfTools.h"
#include "Http.h"
#include "StudioProcess.h"

using namespace stagecast::test;

namespace {

constexpr int kPlayers = 50;
constexpr int kSeconds = 30;
constexpr int kFps = 30;

/// An HTTP-FLV client that sends its request and then never reads, with a tiny receive
/// buffer so the backlog lands on the server quickly.
class StalledPlayer {
public:
    bool open(int port, const QString& path) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        int small = 4096;
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<quint16>(port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            return false;
        }
        auto request = QString("GET %1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").arg(path).toUtf8();
        return ::send(fd_, request.data(), static_cast<size_t>(request.size()), 0) ==
               request.size();
    }
    ~StalledPlayer() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }

private:
    int fd_ = -1;
};

} // namespace

class tst_ManyPlayers : public QObject {
    Q_OBJECT

    StudioProcess studio;
    std::unique_ptr<QProcess> publisher;
    QString token;

    QJsonObject stream() {
        return httpRequest(
                   "GET",
                   QString("http://127.0.0.1:%1/api/v1/streams/live/crowd").arg(studio.httpPort()),
                   token)
            .json();
    }

private slots:
    void initTestCase() {
        QVERIFY2(studio.start(), qPrintable(studio.error()));
        token = studio.apiToken();
        PublisherSpec spec;
        spec.url = studio.sign(studio.rtmpUrl("live/crowd"));
        spec.size = "640x360";
        spec.fps = kFps;
        spec.videoBitrate = "1000k";
        spec.seconds = 120;
        publisher = Ffmpeg::publish(spec);
        QVERIFY(studio.waitForLog("publishes live/crowd", 15000));
        QTest::qWait(2500); // a full GOP in the cache
    }

    void fiftyPlayersAndOneThatNeverReads() {
        StalledPlayer stalled;
        QVERIFY(stalled.open(studio.httpPort(), "/live/crowd.flv"));

        std::vector<std::unique_ptr<QProcess>> players;
        for (int i = 0; i < kPlayers; ++i) {
            auto url = i % 2 == 0 ? studio.rtmpUrl("live/crowd") : studio.flvUrl("live/crowd");
            auto p = std::make_unique<QProcess>();
            p->setProcessChannelMode(QProcess::MergedChannels);
            p->start("ffmpeg", {"-hide_banner", "-nostats", "-loglevel", "info", "-rw_timeout",
                                "10000000", "-i", url, "-t", QString::number(kSeconds), "-map", "0",
                                "-c", "copy", "-f", "null", "-"});
            players.push_back(std::move(p));
        }
        // While they play, the API counts them (50 ffmpeg processes take a while to start on
        // two cores).
        QJsonObject viewers;
        QElapsedTimer started;
        started.start();
        while (started.elapsed() < 25000) {
            viewers = stream().value("viewers").toObject();
            auto by = viewers.value("by_protocol").toObject();
            // 25 RTMP players; 25 FLV players plus the stalled one.
            if (by.value("rtmp").toInt() >= kPlayers / 2 &&
                by.value("http-flv").toInt() >= kPlayers / 2 + 1) {
                break;
            }
            QTest::qWait(250);
        }
        auto byProtocol = viewers.value("by_protocol").toObject();
        QCOMPARE(byProtocol.value("rtmp").toInt(), kPlayers / 2);
        QCOMPARE(byProtocol.value("http-flv").toInt(), kPlayers / 2 + 1);
        QCOMPARE(viewers.value("total").toInt(), kPlayers + 1);

        int ok = 0;
        QStringList problems;
        for (auto& p : players) {
            if (!p->waitForFinished(60000)) {
                p->kill();
            }
            auto log = QString::fromUtf8(p->readAll());
            static const QRegularExpression frames("frame=\\s*(\\d+)");
            int n = 0;
            auto it = frames.globalMatch(log);
            while (it.hasNext()) {
                n = it.next().captured(1).toInt();
            }
            // Full throughput: all kSeconds of video (starting a GOP early adds, never removes).
            if (p->exitCode() == 0 && n >= kSeconds * kFps * 95 / 100) {
                ++ok;
            } else {
                problems << QString("exit %1, %2 frames: %3")
                                .arg(p->exitCode())
                                .arg(n)
                                .arg(log.right(300));
            }
        }
        QVERIFY2(ok == kPlayers, qPrintable(problems.join("\n")));

        // The stalled player is skipped, then dropped, and counted.
        QElapsedTimer t;
        t.start();
        QJsonObject slow;
        while (t.elapsed() < 40000) {
            slow = stream().value("slow_readers").toObject();
            if (slow.value("disconnected").toInt() >= 1) {
                break;
            }
            QTest::qWait(500);
        }
        QCOMPARE(slow.value("disconnected").toInt(), 1);
        QVERIFY(slow.value("skips").toInt() >= 1);
        QVERIFY(slow.value("dropped_bytes").toInteger() > 0);
        QVERIFY2(studio.waitForLog("reader is too slow", 5000),
                 qPrintable(studio.log().right(3000)));
        QCOMPARE(publisher->state(), QProcess::Running);
    }

    void cleanupTestCase() {
        publisher->kill();
        publisher->waitForFinished();
        QCOMPARE(studio.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_ManyPlayers)
#include "tst_ManyPlayers.moc"
