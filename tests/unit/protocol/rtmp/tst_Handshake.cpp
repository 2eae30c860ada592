// Tests for ServerHandshake / ClientHandshake (RTMP specification 1.0 section 5.2, plus the
// digest form). The digests are checked here with OpenSSL directly, independent of the code
// under test.
#include <QtTest>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <span>

#include "protocol/rtmp/Handshake.h"

using namespace stagecast::protocol::rtmp;

namespace {

constexpr int kBlock = 1536;

QByteArray keyTail() {
    return QByteArray::fromHex("F0EEC24A8068BEE82E00D0D1029E7E576EEC5D2D29806FAB93B8E636CFEB31AE");
}
// Flash Player key: 30 text bytes (C1 digest key) + 32 constant bytes.
QByteArray playerKey() {
    return QByteArrayLiteral("Genuine Adobe Flash Player 001") + keyTail();
}
// Flash Media Server key: 36 text bytes (S1 digest key) + the same 32 bytes (S2 key base).
QByteArray serverKey() {
    return QByteArrayLiteral("Genuine Adobe Flash Media Server 001") + keyTail();
}

std::span<const std::uint8_t> span(const QByteArray& a) {
    return {reinterpret_cast<const std::uint8_t*>(a.constData()),
            static_cast<std::size_t>(a.size())};
}

QByteArray toBytes(const std::vector<std::uint8_t>& v) {
    return QByteArray(reinterpret_cast<const char*>(v.data()), static_cast<qsizetype>(v.size()));
}

QByteArray hmacSha256(const QByteArray& key, const QByteArray& data) {
    unsigned char out[32];
    unsigned int size = 0;
    HMAC(EVP_sha256(), key.constData(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(data.constData()), static_cast<size_t>(data.size()),
         out, &size);
    return QByteArray(reinterpret_cast<const char*>(out), static_cast<qsizetype>(size));
}

// Scheme 0: offset bytes at 8..11; scheme 1: at 772..775. The digest follows them at
// (sum of the 4 bytes) % 728.
int digestOffset(const QByteArray& block, int scheme) {
    const int base = scheme == 0 ? 8 : 772;
    int sum = 0;
    for (int i = 0; i < 4; ++i) {
        sum += static_cast<unsigned char>(block[base + i]);
    }
    return sum % 728 + base + 4;
}

QByteArray digestAt(const QByteArray& block, int offset, const QByteArray& key) {
    return hmacSha256(key, block.left(offset) + block.mid(offset + 32));
}

QByteArray pattern(int seed) {
    QByteArray out(kBlock, '\0');
    for (int i = 0; i < kBlock; ++i) {
        out[i] = static_cast<char>((i * 31 + seed) & 0xFF);
    }
    return out;
}

// A C1 as a Flash-era client sends it: time, non-zero version, digest at `scheme`.
QByteArray digestC1(int scheme, int seed = 7) {
    QByteArray c1 = pattern(seed);
    c1.replace(0, 8,
               QByteArray::fromHex("00001234"    // time
                                   "80000702")); // client version 128.0.7.2
    const int offset = digestOffset(c1, scheme);
    c1.replace(offset, 32, digestAt(c1, offset, playerKey().left(30)));
    return c1;
}

QByteArray simpleC1() {
    QByteArray c1 = pattern(3);
    c1.replace(0, 8, QByteArray(8, '\0')); // time 0, zero field
    return c1;
}

QString feedError(ServerHandshake& s, const QByteArray& data) {
    auto r = s.feed(span(data));
    return r ? QString() : QString::fromStdString(r.error().message());
}

// Checks a server's S0 S1 S2 answer to `c1` independently.
void verifyAnswer(const QByteArray& out, const QByteArray& c1, bool digest, int scheme) {
    QCOMPARE(out.size(), 1 + 2 * kBlock);
    QCOMPARE(int{static_cast<unsigned char>(out[0])}, 3);
    const QByteArray s1 = out.mid(1, kBlock);
    const QByteArray s2 = out.mid(1 + kBlock);
    QCOMPARE(s1.left(4).toHex(), QByteArray("00000000")); // time 0
    if (!digest) {
        QCOMPARE(s1.mid(4, 4).toHex(), QByteArray("00000000"));
        QCOMPARE(s2, c1); // simple form: S2 echoes C1
        return;
    }
    QCOMPARE(s1.mid(4, 4).toHex(), QByteArray("0d0e0a0d")); // server version
    const int s1Offset = digestOffset(s1, scheme);
    QCOMPARE(s1.mid(s1Offset, 32).toHex(), digestAt(s1, s1Offset, serverKey().left(36)).toHex());
    const QByteArray c1Digest = c1.mid(digestOffset(c1, scheme), 32);
    const QByteArray key = hmacSha256(serverKey(), c1Digest);
    QCOMPARE(s2.right(32).toHex(), hmacSha256(key, s2.left(kBlock - 32)).toHex());
}

} // namespace

class tst_Handshake : public QObject {
    Q_OBJECT

private slots:
    void simpleExchange();
    void digestForm_data();
    void digestForm();
    void corruptDigestFallsBackToSimple();
    void clientServerPair();
    void version6TreatedAs3();
    void wrongVersion_data();
    void wrongVersion();
    void clientRejectsWrongVersion();
    void c2WithTrailingChunkBytes_data();
    void c2WithTrailingChunkBytes();
    void splitC0C1AtEveryByte_data();
    void splitC0C1AtEveryByte();
    void clientSplitAtEveryByte();
};

void tst_Handshake::simpleExchange() {
    ServerHandshake server;
    const QByteArray c1 = simpleC1();
    const QByteArray c0c1 = QByteArray(1, '\x03') + c1; // C0: version 3
    QCOMPARE(server.feed(span(c0c1)).value(), std::size_t{1537});
    QVERIFY(!server.done());
    QVERIFY(!server.usedDigest());
    const QByteArray out = toBytes(server.takeOutput());
    verifyAnswer(out, c1, false, 0);
    QVERIFY(server.takeOutput().empty()); // taken once

    const QByteArray c2 = out.mid(1, kBlock); // C2 echoes S1
    QCOMPARE(server.feed(span(c2.left(100))).value(), std::size_t{100});
    QVERIFY(!server.done());
    QCOMPARE(server.feed(span(c2.mid(100))).value(), std::size_t{kBlock - 100});
    QVERIFY(server.done());
    QVERIFY(server.takeOutput().empty());
    QCOMPARE(server.feed(span(QByteArray("chunk"))).value(), std::size_t{0});
}

void tst_Handshake::digestForm_data() {
    QTest::addColumn<int>("scheme");
    QTest::addColumn<int>("seed");
    QTest::newRow("scheme 0") << 0 << 7;
    QTest::newRow("scheme 1") << 1 << 7;
    QTest::newRow("scheme 0, other offset") << 0 << 200;
    QTest::newRow("scheme 1, other offset") << 1 << 201;
}

void tst_Handshake::digestForm() {
    QFETCH(int, scheme);
    QFETCH(int, seed);
    const QByteArray c1 = digestC1(scheme, seed);
    ServerHandshake server;
    QCOMPARE(server.feed(span(QByteArray(1, '\x03') + c1)).value(), std::size_t{1537});
    QVERIFY(server.usedDigest());
    verifyAnswer(toBytes(server.takeOutput()), c1, true, scheme);
}

void tst_Handshake::corruptDigestFallsBackToSimple() {
    QByteArray c1 = digestC1(1);
    const int offset = digestOffset(c1, 1);
    c1[offset + 5] = static_cast<char>(c1[offset + 5] ^ 0x01);
    ServerHandshake server;
    QCOMPARE(server.feed(span(QByteArray(1, '\x03') + c1)).value(), std::size_t{1537});
    QVERIFY(!server.usedDigest());
    verifyAnswer(toBytes(server.takeOutput()), c1, false, 0);
}

void tst_Handshake::clientServerPair() {
    ClientHandshake client;
    ServerHandshake server;
    const QByteArray c0c1 = toBytes(client.takeOutput());
    QCOMPARE(c0c1.size(), 1537);
    QCOMPARE(int{c0c1[0]}, 3);
    QCOMPARE(c0c1.mid(1, 8).toHex(), QByteArray("0000000000000000")); // time 0, zero field
    QVERIFY(client.takeOutput().empty());

    QCOMPARE(server.feed(span(c0c1)).value(), std::size_t{1537});
    const QByteArray s0s1s2 = toBytes(server.takeOutput());
    QVERIFY(!server.usedDigest());
    QCOMPARE(client.feed(span(s0s1s2)).value(), std::size_t{1 + 2 * kBlock});
    QVERIFY(client.done());
    const QByteArray c2 = toBytes(client.takeOutput());
    QCOMPARE(c2, s0s1s2.mid(1, kBlock)); // C2 echoes S1
    QCOMPARE(server.feed(span(c2)).value(), std::size_t{kBlock});
    QVERIFY(server.done());
}

void tst_Handshake::version6TreatedAs3() {
    ServerHandshake server;
    const QByteArray c1 = simpleC1();
    QCOMPARE(server.feed(span(QByteArray(1, '\x06') + c1)).value(), std::size_t{1537});
    verifyAnswer(toBytes(server.takeOutput()), c1, false, 0); // answers plain version 3
}

void tst_Handshake::wrongVersion_data() {
    QTest::addColumn<int>("version");
    QTest::addColumn<QString>("error");
    QTest::newRow("version 0") << 0 << "rtmp: handshake version 0 unsupported, expected 3";
    QTest::newRow("version 5") << 5 << "rtmp: handshake version 5 unsupported, expected 3";
    QTest::newRow("version 255") << 255 << "rtmp: handshake version 255 unsupported, expected 3";
    QTest::newRow("HTTP GET") << int{'G'} << "rtmp: handshake version 71 unsupported, expected 3";
}

void tst_Handshake::wrongVersion() {
    QFETCH(int, version);
    QFETCH(QString, error);
    ServerHandshake server;
    QCOMPARE(feedError(server, QByteArray(1, static_cast<char>(version))), error);
    QVERIFY(server.takeOutput().empty());
    QVERIFY(!server.done());
    // Still failed afterwards, whatever follows.
    QCOMPARE(feedError(server, QByteArray(1, '\x03') + simpleC1()), error);
}

void tst_Handshake::clientRejectsWrongVersion() {
    ClientHandshake client;
    auto r = client.feed(span(QByteArray::fromHex("09") + QByteArray(kBlock, '\0')));
    QVERIFY(!r.has_value());
    QCOMPARE(QString::fromStdString(r.error().message()),
             QStringLiteral("rtmp: handshake version 9 unsupported, expected 3"));
    QVERIFY(!client.done());
}

void tst_Handshake::c2WithTrailingChunkBytes_data() {
    QTest::addColumn<bool>("oneFeed");
    QTest::newRow("C2 and chunk bytes in one feed after C0C1") << false;
    QTest::newRow("C0 C1 C2 and chunk bytes in a single feed") << true;
}

void tst_Handshake::c2WithTrailingChunkBytes() {
    QFETCH(bool, oneFeed);
    const QByteArray c0c1 = QByteArray(1, '\x03') + simpleC1();
    const QByteArray c2 = pattern(99);
    const QByteArray chunk = QByteArray::fromHex("030000000000051400000000"); // connect's header
    ServerHandshake server;
    if (oneFeed) {
        QCOMPARE(server.feed(span(c0c1 + c2 + chunk)).value(), std::size_t{1537 + kBlock});
        QCOMPARE(server.takeOutput().size(), std::size_t{1 + 2 * kBlock});
    } else {
        QCOMPARE(server.feed(span(c0c1)).value(), std::size_t{1537});
        QCOMPARE(server.feed(span(c2 + chunk)).value(), std::size_t{kBlock});
    }
    QVERIFY(server.done());
    QCOMPARE(server.feed(span(chunk)).value(), std::size_t{0});
}

void tst_Handshake::splitC0C1AtEveryByte_data() {
    QTest::addColumn<QByteArray>("c1");
    QTest::addColumn<bool>("digest");
    QTest::addColumn<int>("scheme");
    QTest::newRow("simple") << simpleC1() << false << 0;
    QTest::newRow("digest scheme 0") << digestC1(0) << true << 0;
    QTest::newRow("digest scheme 1") << digestC1(1) << true << 1;
}

void tst_Handshake::splitC0C1AtEveryByte() {
    QFETCH(QByteArray, c1);
    QFETCH(bool, digest);
    QFETCH(int, scheme);
    const QByteArray c0c1 = QByteArray(1, '\x03') + c1;
    for (int i = 0; i <= c0c1.size(); ++i) {
        ServerHandshake server;
        QCOMPARE(server.feed(span(c0c1.left(i))).value(), static_cast<std::size_t>(i));
        const bool complete = i == c0c1.size();
        QCOMPARE(server.takeOutput().empty(), !complete);
        if (complete) {
            continue; // the whole C0C1 in the first piece is simpleExchange / digestForm
        }
        QCOMPARE(server.feed(span(c0c1.mid(i))).value(), static_cast<std::size_t>(c0c1.size() - i));
        QCOMPARE(server.usedDigest(), digest);
        const QByteArray out = toBytes(server.takeOutput());
        verifyAnswer(out, c1, digest, scheme);
        if (QTest::currentTestFailed()) {
            QFAIL(qPrintable(QStringLiteral("split at %1").arg(i)));
        }
    }
}

void tst_Handshake::clientSplitAtEveryByte() {
    ServerHandshake server;
    ClientHandshake reference;
    QVERIFY(server.feed(reference.takeOutput()).has_value());
    const QByteArray answer = toBytes(server.takeOutput()) + QByteArray("trailing");
    for (int i = 0; i <= answer.size(); ++i) {
        ClientHandshake client;
        client.takeOutput();
        const std::size_t first = client.feed(span(answer.left(i))).value();
        QCOMPARE(first, static_cast<std::size_t>(std::min(i, 1 + 2 * kBlock)));
        const std::size_t second = client.feed(span(answer.mid(i))).value();
        QCOMPARE(first + second, std::size_t{1 + 2 * kBlock});
        QVERIFY(client.done());
        QCOMPARE(toBytes(client.takeOutput()), answer.mid(1, kBlock));
    }
}

QTEST_APPLESS_MAIN(tst_Handshake)
#include "tst_Handshake.moc"
