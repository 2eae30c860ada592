// Tests for reading the on_publish receiver's answer (SRS's convention: HTTP 200 with "0" or
// {"code":0} allows, everything else refuses, and the reason says what came back).

#include <QtTest>

#include "server/webhook/WebhookAnswer.h"

using namespace stagecast::server::webhook;

class tst_WebhookAnswer : public QObject {
    Q_OBJECT

private slots:
    void judge_data() {
        QTest::addColumn<unsigned>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("allowed");
        QTest::addColumn<QString>("reason");
        QTest::newRow("zero") << 200u << QByteArray("0") << true << "";
        QTest::newRow("zero with newline") << 200u << QByteArray(" 0\r\n") << true << "";
        QTest::newRow("code 0") << 200u << QByteArray("{\"code\":0}") << true << "";
        QTest::newRow("code 0 with data")
            << 200u << QByteArray("{\"code\": 0, \"data\": {\"x\": [1, 2]}, \"msg\": \"ok\"}")
            << true << "";
        QTest::newRow("code 1") << 200u << QByteArray("{\"code\":1}") << false << "answered code 1";
        QTest::newRow("code -7") << 200u << QByteArray("{\"code\":-7}") << false
                                 << "answered code -7";
        QTest::newRow("code huge") << 200u << QByteArray("{\"code\":18446744073709551615}") << false
                                   << "answered code 18446744073709551615";
        QTest::newRow("code as string")
            << 200u << QByteArray("{\"code\":\"0\"}") << false
            << "answered '{\"code\":\"0\"}' without an integer \"code\"";
        QTest::newRow("code as float") << 200u << QByteArray("{\"code\":0.0}") << false
                                       << "answered '{\"code\":0.0}' without an integer \"code\"";
        QTest::newRow("no code") << 200u << QByteArray("{\"ok\":true}") << false
                                 << "answered '{\"ok\":true}' without an integer \"code\"";
        QTest::newRow("array") << 200u << QByteArray("[0]") << false
                               << "answered '[0]' (allow needs \"0\" or {\"code\":0})";
        QTest::newRow("text ok") << 200u << QByteArray("OK") << false
                                 << "answered 'OK' (allow needs \"0\" or {\"code\":0})";
        QTest::newRow("empty") << 200u << QByteArray() << false
                               << "HTTP 200 with an empty body (allow needs \"0\" or {\"code\":0})";
        QTest::newRow("binary") << 200u << QByteArray("\x01\xff\x00z", 4) << false
                                << "answered '???z' (allow needs \"0\" or {\"code\":0})";
        QTest::newRow("long text")
            << 200u << QByteArray(200, 'a') << false
            << "answered '" + QString(80, 'a') + "...' (allow needs \"0\" or {\"code\":0})";
        QTest::newRow("403 with zero") << 403u << QByteArray("0") << false << "HTTP 403";
        QTest::newRow("201 with zero") << 201u << QByteArray("0") << false << "HTTP 201";
        QTest::newRow("500") << 500u << QByteArray("{\"code\":0}") << false << "HTTP 500";
    }

    void judge() {
        QFETCH(unsigned, status);
        QFETCH(QByteArray, body);
        QFETCH(bool, allowed);
        QFETCH(QString, reason);
        auto answer = judgePublishAnswer(
            status, std::string_view(body.constData(), std::size_t(body.size())));
        QCOMPARE(answer.allowed, allowed);
        QCOMPARE(QString::fromStdString(answer.reason), reason);
    }

    void splitAtEveryByte() {
        // Every prefix of a valid answer is an answer of its own: none may crash, and only the
        // complete ones allow.
        const std::string full = "{\"code\":0,\"msg\":\"fine\"}";
        for (std::size_t n = 0; n < full.size(); ++n) {
            QVERIFY(!judgePublishAnswer(200, full.substr(0, n)).allowed);
        }
        QVERIFY(judgePublishAnswer(200, full).allowed);
    }
};

QTEST_APPLESS_MAIN(tst_WebhookAnswer)
#include "tst_WebhookAnswer.moc"
