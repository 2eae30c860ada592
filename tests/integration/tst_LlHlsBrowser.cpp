// hls.js in Debian's headless Chromium (Playwright, tests/browser) plays the studio's LL-HLS
// playlist in low-latency mode: frames are decoded at the published size, parts are loaded,
// no fatal error, every picture on screen has a program date-time (hls.js `playingDate`) that
// is not in the future, and hls.js reports its latency behind the edge and end to end
// (written to the test log; the benchmark in docs/benchmarks.md compares it with plain HLS). Needs
// `npm ci` in tests/browser, which scripts/test.sh runs.

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "FfTools.h"
#include "StudioProcess.h"

using namespace stagecast::test;

class tst_LlHlsBrowser : public QObject {
    Q_OBJECT

    StudioProcess studio;
    std::unique_ptr<QProcess> publisher;
    const QString browserDir = QStringLiteral(STAGECAST_SOURCE_DIR "/tests/browser");

    QJsonObject play(const QString& url, int seconds, bool lowLatency) {
        QProcess node;
        node.setWorkingDirectory(browserDir);
        QStringList args{"hls-latency.mjs", url, QString::number(seconds)};
        if (!lowLatency) {
            args << "--no-low-latency";
        }
        node.start("node", args);
        if (!node.waitForFinished((seconds + 60) * 1000)) {
            node.kill();
            qWarning("node did not finish");
            return {};
        }
        const auto out = node.readAllStandardOutput();
        if (node.exitCode() != 0) {
            qWarning("node: %s %s", out.constData(), node.readAllStandardError().constData());
            return {};
        }
        return QJsonDocument::fromJson(out.trimmed().split('\n').last()).object();
    }

private slots:
    void initTestCase() {
        QVERIFY2(QFileInfo::exists(browserDir + "/node_modules/hls.js/dist/hls.min.js"),
                 "run: npm ci --prefix tests/browser (scripts/test.sh does)");
        studio.setConfig("[hls]\nsegment_ms = 1000\nmode = \"always\"\n");
        QVERIFY2(studio.start(), qPrintable(studio.error()));
        PublisherSpec spec;
        spec.url = studio.sign(studio.rtmpUrl("live/browser"));
        spec.seconds = 300;
        spec.size = "640x360";
        spec.gopFrames = 30;
        publisher = Ffmpeg::publish(spec);
        QVERIFY2(studio.waitForLog("publishes live/browser", 15000), qPrintable(studio.log()));
        QTest::qWait(3000); // a few segments in the window
    }

    void hlsJsPlaysLowLatency() {
        const auto url = QString("http://127.0.0.1:%1/live/browser/ll.m3u8").arg(studio.httpPort());
        const auto r = play(url, 12, true);
        QVERIFY2(!r.isEmpty(), "no result from the browser");
        const auto text = QJsonDocument(r).toJson(QJsonDocument::Compact);
        QVERIFY2(r.value("errors").toArray().isEmpty(), text.constData());
        QVERIFY2(r.value("lowLatencyMode").toBool(), text.constData());
        QVERIFY2(r.value("partsLoaded").toInt() > 0, text.constData());
        QVERIFY2(r.value("frames").toInt() > 100, text.constData());
        QCOMPARE(r.value("width").toInt(), 640);
        QCOMPARE(r.value("height").toInt(), 360);
        QVERIFY2(r.value("latency").isDouble(), text.constData());
        // Every playing sample had a program date-time, and none lay in the future.
        QVERIFY2(r.value("endToEnd").isDouble(), text.constData());
        QCOMPARE(r.value("samplesWithoutDate").toInt(), 0);
        QVERIFY2(r.value("endToEnd").toDouble() > 0, text.constData());
        qInfo("hls.js LL-HLS latency %.2f s behind the edge (target %.2f s), end to end %.2f s "
              "(p95 %.2f s), %d frames, %d dropped",
              r.value("latency").toDouble(), r.value("targetLatency").toDouble(),
              r.value("endToEnd").toDouble(), r.value("endToEndP95").toDouble(),
              r.value("frames").toInt(), r.value("dropped").toInt());
    }

    void hlsJsPlaysMpegTsHls() {
        // The MPEG-TS playlist in the same run, for the latency comparison.
        const auto url = QString("http://127.0.0.1:%1/live/browser.m3u8").arg(studio.httpPort());
        const auto r = play(url, 12, false);
        QVERIFY2(!r.isEmpty(), "no result from the browser");
        const auto text = QJsonDocument(r).toJson(QJsonDocument::Compact);
        QVERIFY2(r.value("errors").toArray().isEmpty(), text.constData());
        QVERIFY2(r.value("frames").toInt() > 100, text.constData());
        QCOMPARE(r.value("width").toInt(), 640);
        QVERIFY2(r.value("endToEnd").isDouble(), text.constData());
        QCOMPARE(r.value("samplesWithoutDate").toInt(), 0);
        QVERIFY2(r.value("endToEnd").toDouble() > 0, text.constData());
        qInfo("hls.js MPEG-TS HLS (1 s segments) latency %.2f s behind the edge, end to end "
              "%.2f s, %d frames, %d dropped",
              r.value("latency").toDouble(), r.value("endToEnd").toDouble(),
              r.value("frames").toInt(), r.value("dropped").toInt());
    }

    void cleanupTestCase() {
        if (publisher) {
            publisher->kill();
            publisher->waitForFinished(5000);
        }
        QCOMPARE(studio.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_LlHlsBrowser)
#include "tst_LlHlsBrowser.moc"
