// The dashboard (ui::DashboardView over services::DashboardModel) against a real studio: an
// ffmpeg publish and an ffmpeg FLV player show as a stream row (codec and size, frames/s,
// kbit/s, one viewer) and in the viewer count; pulling the publisher shows the studio's
// stream_down alert; recording the selected stream lists a complete file with its size; chat
// held by the word rules shows in the review queue, where selecting
// rows and clicking Reject or Approve stores the decision (state, reason, moderator) in the
// studio's database and takes the row away; a decision someone else made meanwhile is
// refused by the studio (409) and named in the status line, not overwritten.

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QtTest>

#include "FfTools.h"
#include "Http.h"
#include "StudioProcess.h"
#include "services/DashboardModel.h"
#include "services/StudioClient.h"
#include "ui/DashboardView.h"

using namespace stagecast;
using namespace stagecast::test;

namespace {

/// The row of `table` whose column `column` reads `text`; -1 when there is none.
int rowOf(QTableWidget* table, int column, const QString& text) {
    for (int r = 0; r < table->rowCount(); ++r) {
        if (table->item(r, column) != nullptr && table->item(r, column)->text() == text) {
            return r;
        }
    }
    return -1;
}

QString cell(QTableWidget* table, int row, int column) {
    return row >= 0 && table->item(row, column) != nullptr ? table->item(row, column)->text()
                                                           : QString();
}

} // namespace

class tst_DashboardView : public QObject {
    Q_OBJECT

    StudioProcess studio;
    QString token;
    std::unique_ptr<QProcess> publisher;
    std::unique_ptr<QProcess> player;
    std::unique_ptr<services::StudioClient> client;
    std::unique_ptr<services::DashboardModel> model;
    std::unique_ptr<ui::DashboardView> view;

    QString url(const QString& path) const {
        return QString("http://127.0.0.1:%1%2").arg(studio.httpPort()).arg(path);
    }
    template <typename T>
    T* find(ui::DashboardView* v, const QString& name) {
        return v->findChild<T*>(name);
    }
    QTableWidget* table(const QString& name) { return find<QTableWidget>(view.get(), name); }

    /// Posts a viewer chat message; returns the stored item's id (held messages answer 202).
    qint64 postChat(const QString& text, const QString& name) {
        const QJsonObject body{{"text", text}, {"name", name}, {"viewer_id", "v-" + name}};
        auto reply = httpSend("POST", url("/api/v1/public/streams/live/dash/messages"),
                              QJsonDocument(body).toJson(QJsonDocument::Compact));
        if (reply.status != 202) {
            qWarning() << "chat post answered" << reply.status << reply.body;
            return -1;
        }
        return static_cast<qint64>(reply.json().value("id").toInteger(-1));
    }

    QJsonObject item(qint64 id) {
        return httpRequest("GET", url(QString("/api/v1/moderation/items/%1").arg(id)), token)
            .json();
    }

    void select(ui::DashboardView* v, qint64 id) {
        auto* queue = find<QTableWidget>(v, "queueTable");
        const int row = rowOf(queue, 0, QString::number(id));
        QVERIFY(row >= 0);
        queue->clearSelection();
        queue->selectRow(row);
    }

private slots:
    void initTestCase() {
        studio.setConfig("[moderation]\nwords_hold = [\"badword\"]\n"
                         "[monitor]\nstream_down_seconds = 2\n");
        QVERIFY2(studio.start(), qPrintable(studio.error()));
        token = studio.apiToken();
        client = std::make_unique<services::StudioClient>(url("/api/v1"), token);
        model = std::make_unique<services::DashboardModel>(*client, "desk");
        view = std::make_unique<ui::DashboardView>(*model);
        view->show();
        model->start(500);
    }

    void streamAndViewerShow() {
        PublisherSpec spec;
        spec.url = studio.sign(studio.rtmpUrl("live/dash"));
        spec.seconds = 120;
        spec.size = "640x360";
        spec.videoBitrate = "600k";
        publisher = Ffmpeg::publish(spec);
        QVERIFY2(studio.waitForLog("publishes live/dash", 15000), qPrintable(studio.log()));
        player = std::make_unique<QProcess>();
        player->start("ffmpeg", {"-hide_banner", "-loglevel", "error", "-i",
                                 studio.sign(studio.flvUrl("live/dash")), "-f", "null", "-"});
        QVERIFY(player->waitForStarted());

        auto* streams = table("streamsTable");
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(streams, 0, "live/dash") >= 0, 15000);
        const auto row = [&] { return rowOf(streams, 0, "live/dash"); };
        QTRY_COMPARE_WITH_TIMEOUT(cell(streams, row(), 7), QString("1"), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(cell(streams, row(), 5).toDouble() > 25, 15000);
        QVERIFY2(cell(streams, row(), 5).toDouble() < 35, qPrintable(cell(streams, row(), 5)));
        QCOMPARE(cell(streams, row(), 1), QString("rtmp"));
        QCOMPARE(cell(streams, row(), 2), QString("h264 640x360"));
        QTRY_VERIFY_WITH_TIMEOUT(cell(streams, row(), 3).toDouble() > 100, 15000);
        QVERIFY(cell(streams, row(), 4).toDouble() > 10);
        QCOMPARE(cell(streams, row(), 8), QString("live"));
        auto* viewers = find<QLabel>(view.get(), "viewersText");
        QTRY_VERIFY2_WITH_TIMEOUT(viewers->text().startsWith("Viewers now 1,"),
                                  qPrintable(viewers->text()), 10000);
        QVERIFY2(viewers->text().contains("flv 1"), qPrintable(viewers->text()));
    }

    // Record the selected stream for a few seconds: the studio records it, the recordings
    // tab lists the finished file with its length and size, and the file is on disk.
    void recordSelectedStream() {
        auto* streams = table("streamsTable");
        find<QPushButton>(view.get(), "recordButton")->click();
        QVERIFY(find<QLabel>(view.get(), "dashboardStatus")->text().contains("select"));
        streams->selectRow(rowOf(streams, 0, "live/dash"));
        find<QPushButton>(view.get(), "recordButton")->click();
        auto* now = find<QLabel>(view.get(), "recordingText");
        QTRY_VERIFY2_WITH_TIMEOUT(now->text().contains("recording: live/dash"),
                                  qPrintable(now->text()), 10000);
        auto* recordings = table("recordingsTable");
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(recordings, 1, "live/dash") >= 0 &&
                                     cell(recordings, rowOf(recordings, 1, "live/dash"), 5) ==
                                         "recording",
                                 15000);
        QTest::qWait(4000);
        streams->selectRow(rowOf(streams, 0, "live/dash"));
        find<QPushButton>(view.get(), "stopRecordButton")->click();
        QTRY_COMPARE_WITH_TIMEOUT(now->text(), QString("not recording"), 15000);
        const auto row = [&] { return rowOf(recordings, 1, "live/dash"); };
        QTRY_COMPARE_WITH_TIMEOUT(cell(recordings, row(), 5), QString("complete"), 15000);
        QVERIFY2(cell(recordings, row(), 4).toDouble() > 0.1,
                 qPrintable(cell(recordings, row(), 4)));
        QVERIFY2(cell(recordings, row(), 3) >= QString("0:00:03"),
                 qPrintable(cell(recordings, row(), 3)));
        const auto id = cell(recordings, row(), 0);
        const auto listed = httpRequest("GET", url("/api/v1/recordings/" + id), token).json();
        QVERIFY(QFileInfo(listed.value("path").toString()).size() > 100000);
    }

    void pulledPublisherShowsAnAlert() {
        publisher->kill();
        publisher->waitForFinished(5000);
        auto* alerts = table("alertsTable");
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(alerts, 2, "stream_down") >= 0, 20000);
        const int row = rowOf(alerts, 2, "stream_down");
        QCOMPARE(cell(alerts, row, 1), QString("live/dash"));
        QVERIFY(!cell(alerts, row, 0).isEmpty());
        // The stream is gone from the live list.
        QTRY_COMPARE_WITH_TIMEOUT(rowOf(table("streamsTable"), 0, "live/dash"), -1, 15000);
        player->kill();
        player->waitForFinished(5000);
    }

    void heldChatIsDecidedFromTheQueue() {
        const qint64 spam = postChat("buy badword now", "Sam");
        const qint64 fair = postChat("is the badword policy changing?", "Ann");
        QVERIFY(spam > 0 && fair > 0);
        auto* queue = table("queueTable");
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(queue, 0, QString::number(spam)) >= 0 &&
                                     rowOf(queue, 0, QString::number(fair)) >= 0,
                                 10000);
        const int row = rowOf(queue, 0, QString::number(spam));
        QCOMPARE(cell(queue, row, 3), QString("Sam"));
        QCOMPARE(cell(queue, row, 4), QString("pending"));
        QCOMPARE(cell(queue, row, 6), QString("buy badword now"));
        QVERIFY2(cell(queue, row, 5).contains("word:"), qPrintable(cell(queue, row, 5)));

        // No selection: nothing is sent, the status says what to do.
        queue->clearSelection();
        QTest::mouseClick(find<QPushButton>(view.get(), "action:reject"), Qt::LeftButton);
        QVERIFY(find<QLabel>(view.get(), "dashboardStatus")->text().contains("select"));

        select(view.get(), spam);
        find<QLineEdit>(view.get(), "reasonEdit")->setText("advertising");
        QTest::mouseClick(find<QPushButton>(view.get(), "action:reject"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(item(spam).value("state").toString(), QString("rejected"), 10000);
        const auto decisions = item(spam).value("decisions").toArray();
        QVERIFY(!decisions.isEmpty());
        const auto last = decisions.last().toObject();
        QCOMPARE(last.value("reason").toString(), QString("advertising"));
        QCOMPARE(last.value("actor").toString(), QString("operator:desk"));
        QTRY_COMPARE_WITH_TIMEOUT(rowOf(queue, 0, QString::number(spam)), -1, 10000);
        QCOMPARE(item(fair).value("state").toString(), QString("pending"));

        select(view.get(), fair);
        find<QLineEdit>(view.get(), "reasonEdit")->clear();
        QTest::mouseClick(find<QPushButton>(view.get(), "action:approve"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(item(fair).value("state").toString(), QString("approved"), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(rowOf(queue, 0, QString::number(fair)), -1, 10000);
        // Viewers now see the approved message.
        const auto shown =
            httpRequest("GET", url("/api/v1/public/streams/live/dash/messages")).body;
        QVERIFY2(shown.contains("policy changing"), shown.constData());
        QVERIFY(!shown.contains("buy badword"));
    }

    // A second dashboard that does not refresh (one poll at start) shows an item as pending;
    // another moderator approves it meanwhile; this one's Reject is refused by name and the
    // first decision stands.
    void concurrentDecisionIsRefused() {
        const qint64 id = postChat("badword in a question", "Kim");
        QVERIFY(id > 0);
        services::DashboardModel stale(*client, "late");
        ui::DashboardView staleView(stale);
        stale.start(3600 * 1000);
        auto* queue = find<QTableWidget>(&staleView, "queueTable");
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(queue, 0, QString::number(id)) >= 0, 10000);

        const QJsonObject approve{{"action", "approve"}, {"moderator", "other"}};
        auto reply = httpSend("POST", url(QString("/api/v1/moderation/items/%1/actions").arg(id)),
                              QJsonDocument(approve).toJson(QJsonDocument::Compact), token);
        QCOMPARE(reply.status, 200);

        select(&staleView, id);
        QTest::mouseClick(find<QPushButton>(&staleView, "action:reject"), Qt::LeftButton);
        auto* status = find<QLabel>(&staleView, "dashboardStatus");
        QTRY_VERIFY2_WITH_TIMEOUT(status->text().contains("refused"), qPrintable(status->text()),
                                  10000);
        QCOMPARE(item(id).value("state").toString(), QString("approved"));
    }

    void cleanupTestCase() {
        view.reset();
        model.reset();
        QCOMPARE(studio.stop(), 0);
    }
};

QTEST_MAIN(tst_DashboardView)
#include "tst_DashboardView.moc"
