// Viewer chat and Q&A through the running studio: the public endpoint stores every post in the
// SQLite queue, the rules hold a listed word typed in full-width letters and a phone number,
// a flood from one viewer is refused with 429, moderators approve and answer with their name
// and time stored, a second moderator sees the same changes live on the WebSocket, viewers
// see only what is published, and the CSV export carries the decisions. A refused publish
// becomes an "auth" item.

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "FfTools.h"
#include "Http.h"
#include "SqliteFile.h"
#include "StudioProcess.h"
#include "WsClient.h"

using namespace stagecast::test;

class tst_ChatModeration : public QObject {
    Q_OBJECT

    StudioProcess studio;
    QString token;
    qint64 heldWordId = 0;
    qint64 phoneId = 0;
    qint64 questionId = 0;

    QString url(const QString& path) const {
        return QString("http://127.0.0.1:%1%2").arg(studio.httpPort()).arg(path);
    }

    HttpReply post(const QJsonObject& body, const QString& stream = "live/townhall") {
        return httpSend("POST", url("/api/v1/public/streams/" + stream + "/messages"),
                        QJsonDocument(body).toJson(QJsonDocument::Compact));
    }

    HttpReply act(qint64 id, const QJsonObject& body) {
        return httpSend("POST", url(QString("/api/v1/moderation/items/%1/actions").arg(id)),
                        QJsonDocument(body).toJson(QJsonDocument::Compact), token);
    }

    /// The next event of `topic` on `ws` (skipping others), as an object; empty on timeout.
    static QJsonObject nextEvent(WsClient& ws, const QString& topic) {
        for (int i = 0; i < 50; ++i) {
            auto text = ws.read(10000);
            if (!text) {
                return {};
            }
            auto event = QJsonDocument::fromJson(QByteArray::fromStdString(*text)).object();
            if (event.value("topic").toString() == topic) {
                return event.value("data").toObject();
            }
        }
        return {};
    }

private slots:
    void initTestCase() {
        studio.setConfig("[moderation]\nwords_hold = [\"badword\"]\nrate_messages = 3\n"
                         "rate_window_seconds = 600\n");
        QVERIFY2(studio.start(), qPrintable(studio.error()));
        token = studio.apiToken();
    }

    void cleanMessageIsPublished() {
        auto reply = post(
            {{"text", "Hello from the second floor"}, {"name", "Ann"}, {"viewer_id", "v-ann"}});
        QCOMPARE(reply.status, 201);
        QCOMPARE(reply.json().value("status").toString(), QString("published"));
        QCOMPARE(reply.json().value("item").toObject().value("author").toString(), QString("Ann"));
    }

    void fullWidthListedWordIsHeld() {
        // "ＢＡＤＷＯＲＤ" in full-width Latin letters: NFKC + case folding make it "badword".
        auto reply = post({{"text", QString::fromUtf8("this is ＢＡＤＷＯＲＤ stuff")},
                           {"name", "Bob"},
                           {"viewer_id", "v-bob"}});
        QCOMPARE(reply.status, 202);
        QCOMPARE(reply.json().value("status").toString(), QString("held"));
        // The viewer is not told which rule matched.
        QVERIFY(!reply.json().value("message").toString().contains("badword"));
        heldWordId = reply.json().value("id").toInteger();
        QVERIFY(heldWordId > 0);

        auto item =
            httpRequest("GET", url(QString("/api/v1/moderation/items/%1").arg(heldWordId)), token);
        QCOMPARE(item.status, 200);
        QCOMPARE(item.json().value("state").toString(), QString("pending"));
        const auto labels = item.json().value("labels").toArray();
        QVERIFY2(labels.contains(QJsonValue("word:config-hold")), item.body.constData());
    }

    void phoneNumberIsHeldAsPersonalData() {
        auto reply = post({{"text", "call me on 13812345678 after the meeting"},
                           {"name", "Cai"},
                           {"viewer_id", "v-cai"}});
        QCOMPARE(reply.status, 202);
        phoneId = reply.json().value("id").toInteger();
        auto item =
            httpRequest("GET", url(QString("/api/v1/moderation/items/%1").arg(phoneId)), token);
        QVERIFY2(item.json().value("labels").toArray().contains(QJsonValue("personal-data:phone")),
                 item.body.constData());
    }

    void floodIsRateLimited() {
        // rate_messages = 3: the fourth message at once from one viewer is refused, unstored.
        int accepted = 0;
        int limited = 0;
        for (int i = 0; i < 5; ++i) {
            auto reply = post({{"text", QString("question number %1").arg(i)},
                               {"name", "Dan"},
                               {"viewer_id", "v-dan"},
                               {"kind", "question"}});
            if (reply.status == 429) {
                ++limited;
                QVERIFY(reply.json().value("retry_after_ms").toInteger() > 0);
            } else {
                QCOMPARE(reply.status, 201);
                ++accepted;
                if (questionId == 0) {
                    questionId = reply.json().value("item").toObject().value("id").toInteger();
                }
            }
        }
        QCOMPARE(accepted, 3);
        QCOMPARE(limited, 2);
        auto rows = sqlQuery(QDir(studio.dataDir()).filePath("stagecast.db"),
                             "SELECT count(*) FROM moderation_items WHERE author = 'Dan'");
        QVERIFY2(rows.error.isEmpty(), qPrintable(rows.error));
        QCOMPARE(rows.rows.at(0).at(0).toInt(), 3);
    }

    void moderatorsDecideAndSeeItLive() {
        WsClient second;
        QVERIFY2(
            second.connect(studio.httpPort(),
                           "/api/v1/events?topics=moderation&access_token=" + token.toStdString()),
            second.error().c_str());
        WsClient viewer;
        QVERIFY2(viewer.connect(studio.httpPort(), "/api/v1/public/events?topics=public.chat"),
                 viewer.error().c_str());

        auto approved = act(heldWordId, {{"action", "approve"},
                                         {"moderator", "alice"},
                                         {"reason", "quoting the slide"},
                                         {"seen", "pending"}});
        QCOMPARE(approved.status, 200);
        QCOMPARE(approved.json().value("item").toObject().value("state").toString(),
                 QString("approved"));

        const auto seen = nextEvent(second, "moderation.item");
        QCOMPARE(seen.value("change").toString(), QString("decided"));
        QCOMPARE(seen.value("actor").toString(), QString("operator:alice"));
        QCOMPARE(seen.value("item").toObject().value("id").toInteger(), heldWordId);
        const auto shown = nextEvent(viewer, "public.chat");
        QCOMPARE(shown.value("change").toString(), QString("add"));
        QCOMPARE(shown.value("message").toObject().value("id").toInteger(), heldWordId);
        QVERIFY(!shown.value("message").toObject().contains("labels"));

        // A second decision from a stale view is refused, not silently applied.
        auto stale =
            act(heldWordId, {{"action", "reject"}, {"moderator", "bob"}, {"seen", "pending"}});
        QCOMPARE(stale.status, 409);

        auto answered = act(questionId, {{"action", "answer"}, {"moderator", "alice"}});
        QCOMPARE(answered.status, 200);
        QCOMPARE(answered.json().value("item").toObject().value("state").toString(),
                 QString("answered"));

        auto item =
            httpRequest("GET", url(QString("/api/v1/moderation/items/%1").arg(heldWordId)), token);
        const auto decisions = item.json().value("decisions").toArray();
        QVERIFY2(!decisions.isEmpty(), item.body.constData());
        const auto last = decisions.last().toObject();
        QCOMPARE(last.value("actor").toString(), QString("operator:alice"));
        QCOMPARE(last.value("reason").toString(), QString("quoting the slide"));
        QCOMPARE(last.value("to").toString(), QString("approved"));
        QVERIFY(!last.value("at").toString().isEmpty());
    }

    void viewersSeeOnlyPublished() {
        auto reply = httpRequest("GET", url("/api/v1/public/streams/live/townhall/messages"));
        QCOMPARE(reply.status, 200);
        QSet<qint64> ids;
        for (const auto& m : reply.json().value("messages").toArray()) {
            ids.insert(m.toObject().value("id").toInteger());
            QVERIFY(!m.toObject().contains("labels"));
        }
        QVERIFY(ids.contains(heldWordId)); // approved
        QVERIFY(ids.contains(questionId)); // answered
        QVERIFY(!ids.contains(phoneId));   // still held
    }

    void listFiltersAndCsvExport() {
        auto pending = httpRequest("GET", url("/api/v1/moderation/items?state=pending"), token);
        QCOMPARE(pending.status, 200);
        const auto items = pending.json().value("items").toArray();
        QCOMPARE(items.size(), 1);
        QCOMPARE(items[0].toObject().value("id").toInteger(), phoneId);

        auto text = httpRequest("GET", url("/api/v1/moderation/items?text=floor"), token);
        QCOMPARE(text.json().value("items").toArray().size(), 1);

        auto bad = httpRequest("GET", url("/api/v1/moderation/items?state=maybe"), token);
        QCOMPARE(bad.status, 400);
        QVERIFY(bad.json().value("error").toString().contains("pending, approved"));

        auto csv = httpRequest("GET", url("/api/v1/moderation/export.csv"), token);
        QCOMPARE(csv.status, 200);
        const auto body = QString::fromUtf8(csv.body);
        QVERIFY2(body.contains("operator:alice"), csv.body.constData());
        QVERIFY(body.contains("quoting the slide"));
        QVERIFY(body.contains(QString::fromUtf8("ＢＡＤＷＯＲＤ")));

        auto noToken = httpRequest("GET", url("/api/v1/moderation/export.csv"));
        QCOMPARE(noToken.status, 401);
    }

    void refusedPublishBecomesAnAuthItem() {
        PublisherSpec spec;
        spec.url = studio.rtmpUrl("live/intruder"); // no signature
        spec.seconds = 3;
        spec.size = "320x240";
        auto p = Ffmpeg::publish(spec);
        QVERIFY(p->waitForFinished(30000));
        QVERIFY(p->exitCode() != 0);
        QJsonArray items;
        for (int i = 0; i < 40 && items.isEmpty(); ++i) {
            QTest::qWait(250);
            items =
                httpRequest("GET", url("/api/v1/moderation/items?kind=auth&stream=live/intruder"),
                            token)
                    .json()
                    .value("items")
                    .toArray();
        }
        QCOMPARE(items.size(), 1);
        QCOMPARE(items[0].toObject().value("state").toString(), QString("pending"));
    }

    void cleanupTestCase() { QCOMPARE(studio.stop(), 0); }
};

QTEST_GUILESS_MAIN(tst_ChatModeration)
#include "tst_ChatModeration.moc"
