// Tests for the webhook signature: HMAC-SHA256 against RFC 4231's published vectors, and the
// X-Stagecast-Signature header over "TIMESTAMP.BODY" against a value computed independently
// with Python's hmac module:
//   hmac.new(b"whsec-test-0123456789",
//            b'1714564800.{"action":"on_publish","app":"live"}', hashlib.sha256).hexdigest()

#include <QtTest>

#include <string>

#include "server/webhook/WebhookSignature.h"

using namespace stagecast::server::webhook;

class tst_WebhookSignature : public QObject {
    Q_OBJECT

private slots:
    void rfc4231_data() {
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QString>("mac");
        QTest::newRow("rfc4231 case 1")
            << QByteArray(20, '\x0b') << QByteArray("Hi There")
            << "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7";
        QTest::newRow("rfc4231 case 2")
            << QByteArray("Jefe") << QByteArray("what do ya want for nothing?")
            << "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
        QTest::newRow("empty key and data")
            << QByteArray() << QByteArray()
            << "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad";
    }

    void rfc4231() {
        QFETCH(QByteArray, key);
        QFETCH(QByteArray, data);
        QFETCH(QString, mac);
        auto got = hmacSha256Hex(std::string_view(key.constData(), std::size_t(key.size())),
                                 std::string_view(data.constData(), std::size_t(data.size())));
        QCOMPARE(QString::fromStdString(got), mac);
    }

    void headerSignsTimestampAndBody() {
        const std::string body = "{\"action\":\"on_publish\",\"app\":\"live\"}";
        QCOMPARE(signedText(1714564800, body), "1714564800." + body);
        QCOMPARE(
            signatureHeader("whsec-test-0123456789", 1714564800, body),
            std::string("sha256=d1cea993160193c5c7a6226bac8cf25ce90fcca6a1b223860f2435d07bec9a31"));
    }

    void anyChangeChangesTheSignature() {
        const std::string body = "{\"action\":\"on_publish\"}";
        const auto base = signatureHeader("secret", 100, body);
        QVERIFY(signatureHeader("secret", 101, body) != base);       // replayed later
        QVERIFY(signatureHeader("secret!", 100, body) != base);      // another key
        QVERIFY(signatureHeader("secret", 100, body + " ") != base); // edited body
        QCOMPARE(signatureHeader("secret", 100, body), base);
    }
};

QTEST_APPLESS_MAIN(tst_WebhookSignature)
#include "tst_WebhookSignature.moc"
