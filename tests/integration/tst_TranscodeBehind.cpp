// A transcode that cannot keep up raises the transcode_behind alert: a 720p30 publish
// transcoded to 480p with x264's "placebo" preset on one thread (far slower than real time on
// any machine) drops pictures; the alert is open for the source stream with the drop figures,
// and it is closed when the publisher leaves and the transcode ends.

#include <QJsonArray>
#include <QtTest>

#include "Alerts.h"
#include "FfTools.h"
#include "StudioProcess.h"

using namespace stagecast::test;

class tst_TranscodeBehind : public QObject {
    Q_OBJECT

    StudioProcess studio;

private slots:
    void initTestCase() {
        studio.setConfig("[monitor]\ncontent_probes = false\n\n"
                         "[transcode]\npreset = \"placebo\"\nthreads = 1\nqueue_ms = 100\n\n"
                         "[[transcode.rule]]\npattern = \"live/heavy\"\n"
                         "renditions = [\"480p\"]\n");
        QVERIFY2(studio.start(), qPrintable(studio.error()));
    }

    void raisedAndClosed() {
        PublisherSpec spec;
        spec.url = studio.sign(studio.rtmpUrl("live/heavy"));
        spec.seconds = 60;
        spec.size = "1280x720";
        auto publisher = Ffmpeg::publish(spec);

        auto open = waitForAlert(studio, "state=open&stream=live/heavy", "transcode_behind", 45000);
        QVERIFY2(!open.isEmpty(), qPrintable(studio.log()));
        QCOMPARE(open.value("severity").toString(), QString("warning"));
        QVERIFY2(open.value("details").toString().contains("pictures dropped"),
                 qPrintable(open.value("details").toString()));
        QVERIFY(studio.log().contains("transcode_behind"));

        publisher->kill();
        publisher->waitForFinished();
        auto closed =
            waitForAlert(studio, "state=closed&stream=live/heavy", "transcode_behind", 30000);
        QVERIFY2(!closed.isEmpty(), qPrintable(studio.log()));
        for (const auto& a : listAlerts(studio, "state=open&stream=live/heavy")) {
            QVERIFY(a.toObject().value("kind").toString() != "transcode_behind");
        }
    }

    void cleanupTestCase() { QCOMPARE(studio.stop(), 0); }
};

QTEST_GUILESS_MAIN(tst_TranscodeBehind)
#include "tst_TranscodeBehind.moc"
