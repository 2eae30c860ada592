// Hostile bytes on the RTMP port close that one connection with a log line that names the
// problem; a live stream carries on untouched.

#include <QTcpSocket>
#include <QtTest>

#include "FfTools.h"
#include "StudioProcess.h"

using namespace stagecast::test;

namespace {

QByteArray hex(const char* text) {
    return QByteArray::fromHex(text);
}

/// C0 + C1 (all zero: no digest, so the simple handshake answers).
QByteArray c0c1() {
    return QByteArray(1, '\x03') + QByteArray(1536, '\0');
}

/// Completes a simple handshake on `s`; returns false if the server does not answer.
bool handshake(QTcpSocket& s) {
    s.write(c0c1());
    QByteArray got;
    while (got.size() < 1 + 1536 + 1536) {
        if (!s.waitForReadyRead(5000)) {
            return false;
        }
        got += s.readAll();
    }
    s.write(got.mid(1, 1536)); // C2 echoes S1
    return s.waitForBytesWritten(2000);
}

/// A type-0 chunk on csid 3, message stream 0, carrying one message in one chunk.
QByteArray chunk(quint8 type, const QByteArray& payload, quint32 declaredLength) {
    QByteArray c;
    c.append('\x03');
    c.append(QByteArray(3, '\0')); // timestamp
    c.append(static_cast<char>((declaredLength >> 16) & 0xFF));
    c.append(static_cast<char>((declaredLength >> 8) & 0xFF));
    c.append(static_cast<char>(declaredLength & 0xFF));
    c.append(static_cast<char>(type));
    c.append(QByteArray(4, '\0')); // stream id
    c.append(payload);
    return c;
}

} // namespace

class tst_MalformedInput : public QObject {
    Q_OBJECT

    StudioProcess studio;
    std::unique_ptr<QProcess> publisher;

private slots:
    void initTestCase() {
        studio.setConfig("[limits]\nhandshake_timeout_ms = 1500\nmax_message_bytes = 1048576\n");
        QVERIFY2(studio.start(), qPrintable(studio.error()));
        PublisherSpec spec;
        spec.url = studio.sign(studio.rtmpUrl("live/good"));
        spec.size = "320x240";
        spec.seconds = 120;
        publisher = Ffmpeg::publish(spec);
        QVERIFY(studio.waitForLog("publishes live/good", 15000));
    }

    void hostileConnection_data() {
        QTest::addColumn<bool>("handshakeFirst");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("logged");
        QTest::newRow("garbage") << false << QByteArray(1537, 'B')
                                 << "handshake version 66 unsupported";
        QTest::newRow("truncated-handshake")
            << false << c0c1().left(100) << "handshake not completed within 1500 ms";
        QTest::newRow("chunk-size-zero") << true << chunk(1, hex("00000000"), 4) << "chunk size 0";
        QTest::newRow("chunk-size-absurd")
            << true << chunk(1, hex("7fffffff"), 4) << "chunk size 2147483647";
        QTest::newRow("message-too-large") << true << chunk(20, hex("02"), 0xFFFFFF) << "16777215";
        QTest::newRow("amf-truncated-string")
            << true << chunk(20, hex("020007636f6e"), 6) << "amf0";
        QTest::newRow("amf-bad-marker") << true << chunk(20, hex("42"), 1) << "amf0";
        QTest::newRow("command-before-connect")
            << true << chunk(20, hex("02000c63726561746553747265616d00400000000000000005"), 25)
            << "before connect";
        QTest::newRow("unknown-chunk-stream-start")
            << true << QByteArray(1, '\x43') + QByteArray(7, '\0') << "starts with a type-1";
    }

    void hostileConnection() {
        QFETCH(bool, handshakeFirst);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, logged);
        QTcpSocket s;
        s.connectToHost("127.0.0.1", static_cast<quint16>(studio.rtmpPort()));
        QVERIFY(s.waitForConnected(3000));
        if (handshakeFirst) {
            QVERIFY(handshake(s));
        }
        s.write(bytes);
        s.waitForBytesWritten(2000);
        // The server closes this connection...
        QElapsedTimer t;
        t.start();
        while (s.state() == QAbstractSocket::ConnectedState && t.elapsed() < 10000) {
            s.waitForReadyRead(200);
            s.readAll();
        }
        QCOMPARE(s.state(), QAbstractSocket::UnconnectedState);
        // ...and says why.
        QVERIFY2(studio.waitForLog(logged, 3000), qPrintable(studio.log().right(2000)));
    }

    void liveStreamCarriesOn() {
        QCOMPARE(publisher->state(), QProcess::Running);
        auto decoded = Ffmpeg::decode(studio.flvUrl("live/good"), 3);
        QVERIFY2(decoded.videoFrames >= 70, qPrintable(decoded.log));
        QCOMPARE(decoded.decodeErrors, 0);
    }

    void cleanupTestCase() {
        publisher->kill();
        publisher->waitForFinished();
        QCOMPARE(studio.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_MalformedInput)
#include "tst_MalformedInput.moc"
