// Tests for ChunkWriter: chunking outgoing messages (RTMP specification 1.0 section 5.3), its
// zero-copy plan, and the round trip through ChunkReader.
#include <QtTest>

#include <initializer_list>
#include <span>

#include "protocol/rtmp/ChunkReader.h"
#include "protocol/rtmp/ChunkWriter.h"
#include "protocol/rtmp/Control.h"

using namespace stagecast::protocol::rtmp;

namespace {

QByteArray bytes(std::initializer_list<int> list) {
    QByteArray out;
    for (int b : list) {
        out.append(static_cast<char>(b));
    }
    return out;
}

QByteArray ramp(int count, int first = 0) {
    QByteArray out;
    for (int i = 0; i < count; ++i) {
        out.append(static_cast<char>((first + i * 7) & 0xFF));
    }
    return out;
}

std::span<const std::uint8_t> span(const QByteArray& a) {
    return {reinterpret_cast<const std::uint8_t*>(a.constData()),
            static_cast<std::size_t>(a.size())};
}

QByteArray toBytes(const std::vector<std::uint8_t>& v) {
    return QByteArray(reinterpret_cast<const char*>(v.data()), static_cast<qsizetype>(v.size()));
}

MessageHeader header(int type, quint32 sid, quint32 ts) {
    MessageHeader h;
    h.typeId = static_cast<std::uint8_t>(type);
    h.streamId = sid;
    h.timestamp = ts;
    return h;
}

// Concatenates the plan's pieces the way a gather-write would send them.
QByteArray gather(const std::vector<std::uint8_t>& headers,
                  const std::vector<ChunkWriter::Piece>& pieces, const QByteArray& payload,
                  std::size_t firstPiece = 0) {
    QByteArray out;
    for (std::size_t i = firstPiece; i < pieces.size(); ++i) {
        const auto& p = pieces[i];
        out.append(reinterpret_cast<const char*>(headers.data()) + p.headerOffset,
                   static_cast<qsizetype>(p.headerLength));
        out.append(payload.mid(p.payloadOffset, p.payloadLength));
    }
    return out;
}

} // namespace

class tst_ChunkWriter : public QObject {
    Q_OBJECT

private slots:
    void byteTables_data();
    void byteTables();
    void planMatchesWrite_data();
    void planMatchesWrite();
    void roundTrip_data();
    void roundTrip();
};

void tst_ChunkWriter::byteTables_data() {
    QTest::addColumn<quint32>("chunkSize");
    QTest::addColumn<quint32>("csid");
    QTest::addColumn<quint32>("timestamp");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("one chunk, type 0")
        << 128u << 3u << 1000u << bytes({0xDE, 0xAD})
        << bytes({0x03,                   // fmt 0, csid 3
                  0x00, 0x03, 0xE8,       // timestamp 1000
                  0x00, 0x00, 0x02,       // length 2
                  0x14,                   // type 20
                  0x01, 0x00, 0x00, 0x00, // message stream 1, little-endian
                  0xDE, 0xAD});
    QTest::newRow("type 3 continuation") << 4u << 6u << 5u << bytes({1, 2, 3, 4, 5, 6})
                                         << bytes({0x06,                   // fmt 0, csid 6
                                                   0x00, 0x00, 0x05,       // timestamp 5
                                                   0x00, 0x00, 0x06,       // length 6
                                                   0x14,                   // type 20
                                                   0x01, 0x00, 0x00, 0x00, // message stream 1
                                                   1, 2, 3, 4, // first chunk: chunk size 4
                                                   0xC6,       // fmt 3, csid 6
                                                   5, 6});
    QTest::newRow("timestamp 0xFFFFFE fits 24 bits")
        << 128u << 4u << 0xFFFFFEu << bytes({9})
        << bytes({0x04, 0xFF, 0xFF, 0xFE, 0x00, 0x00, 0x01, 0x14, 0x01, 0x00, 0x00, 0x00, 9});
    QTest::newRow("extended timestamp repeated on continuation")
        << 4u << 4u << 0x01000000u << bytes({1, 2, 3, 4, 5})
        << bytes({0x04,                   // fmt 0, csid 4
                  0xFF, 0xFF, 0xFF,       // extended follows
                  0x00, 0x00, 0x05,       // length 5
                  0x14,                   // type 20
                  0x01, 0x00, 0x00, 0x00, // message stream 1
                  0x01, 0x00, 0x00, 0x00, // extended timestamp 0x01000000
                  1,    2,    3,    4,    //
                  0xC4,                   // fmt 3, csid 4
                  0x01, 0x00, 0x00, 0x00, // extended timestamp repeated
                  5});
    QTest::newRow("timestamp 0xFFFFFF is extended")
        << 128u << 4u << 0xFFFFFFu << bytes({9})
        << bytes({0x04, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x01, 0x14, 0x01, 0x00, 0x00, 0x00, //
                  0x00, 0xFF, 0xFF, 0xFF, // extended timestamp 0x00FFFFFF
                  9});
    QTest::newRow("2-byte basic header, csid 64")
        << 2u << 64u << 0u << bytes({1, 2, 3})
        << bytes({0x00, 0x00, // fmt 0, 2-byte form, 64 + 0
                  0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x14, 0x01, 0x00, 0x00, 0x00, //
                  1, 2,                                                             //
                  0xC0, 0x00, // fmt 3, 2-byte form, csid 64
                  3});
    QTest::newRow("2-byte basic header, csid 319")
        << 128u << 319u << 0u << bytes({1})
        << bytes({0x00, 0xFF, // 64 + 255
                  0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x14, 0x01, 0x00, 0x00, 0x00, 1});
    QTest::newRow("3-byte basic header, csid 320")
        << 2u << 320u << 0u << bytes({1, 2, 3})
        << bytes({0x01, 0x00, 0x01, // fmt 0, 3-byte form: 64 + 0 + 1 * 256
                  0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x14, 0x01, 0x00, 0x00, 0x00, //
                  1,    2,                                                          //
                  0xC1, 0x00, 0x01, // fmt 3, 3-byte form
                  3});
    QTest::newRow("3-byte basic header, csid 65599")
        << 128u << 65599u << 0u << bytes({1})
        << bytes({0x01, 0xFF, 0xFF, // 64 + 255 + 255 * 256
                  0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x14, 0x01, 0x00, 0x00, 0x00, 1});
    QTest::newRow("zero-length payload")
        << 128u << 3u << 7u << QByteArray()
        << bytes({0x03, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x14, 0x01, 0x00, 0x00, 0x00});
}

void tst_ChunkWriter::byteTables() {
    QFETCH(quint32, chunkSize);
    QFETCH(quint32, csid);
    QFETCH(quint32, timestamp);
    QFETCH(QByteArray, payload);
    QFETCH(QByteArray, expected);
    ChunkWriter writer;
    writer.setChunkSize(chunkSize);
    const MessageHeader h = header(20, 1, timestamp);

    std::vector<std::uint8_t> out;
    writer.write(out, csid, h, span(payload));
    QCOMPARE(toBytes(out).toHex(' '), expected.toHex(' '));

    std::vector<std::uint8_t> headers;
    std::vector<ChunkWriter::Piece> pieces;
    writer.plan(headers, pieces, csid, h, static_cast<std::size_t>(payload.size()));
    QCOMPARE(gather(headers, pieces, payload).toHex(' '), expected.toHex(' '));
    const std::size_t chunks =
        payload.isEmpty() ? 1
                          : (static_cast<std::size_t>(payload.size()) + chunkSize - 1) / chunkSize;
    QCOMPARE(pieces.size(), chunks);
}

void tst_ChunkWriter::planMatchesWrite_data() {
    QTest::addColumn<quint32>("chunkSize");
    QTest::addColumn<quint32>("csid");
    QTest::addColumn<quint32>("timestamp");
    QTest::addColumn<int>("payloadSize");

    for (quint32 chunkSize : {1u, 3u, 128u, 4096u}) {
        for (quint32 csid : {2u, 63u, 64u, 319u, 320u, 65599u}) {
            for (quint32 ts : {0u, 0xFFFFFFu, 0xFFFFFFFFu}) {
                for (int size : {0, 1, 128, 129, 5000}) {
                    QTest::addRow("cs%u csid%u ts%x n%d", chunkSize, csid, ts, size)
                        << chunkSize << csid << ts << size;
                }
            }
        }
    }
}

void tst_ChunkWriter::planMatchesWrite() {
    QFETCH(quint32, chunkSize);
    QFETCH(quint32, csid);
    QFETCH(quint32, timestamp);
    QFETCH(int, payloadSize);
    ChunkWriter writer;
    writer.setChunkSize(chunkSize);
    const QByteArray payload = ramp(payloadSize, 3);
    const MessageHeader h = header(9, 5, timestamp);

    // Both append: existing content must be left alone and offsets must account for it.
    std::vector<std::uint8_t> out = {0xAA, 0xBB};
    writer.write(out, csid, h, span(payload));
    QCOMPARE(out[0], std::uint8_t{0xAA});
    QCOMPARE(out[1], std::uint8_t{0xBB});

    std::vector<std::uint8_t> headers = {0x11, 0x22, 0x33};
    std::vector<ChunkWriter::Piece> pieces(1); // a previous message's piece
    writer.plan(headers, pieces, csid, h, static_cast<std::size_t>(payloadSize));
    QCOMPARE(gather(headers, pieces, payload, 1), toBytes(out).mid(2));
    QCOMPARE(pieces[1].headerOffset, 3u);
    quint64 total = 0;
    for (std::size_t i = 1; i < pieces.size(); ++i) {
        QVERIFY(pieces[i].payloadLength <= chunkSize);
        total += pieces[i].payloadLength;
    }
    QCOMPARE(total, static_cast<quint64>(payloadSize));
}

void tst_ChunkWriter::roundTrip_data() {
    QTest::addColumn<quint32>("chunkSize");
    QTest::addColumn<quint32>("timestamp");
    for (quint32 chunkSize : {1u, 128u, 4096u, 65536u}) {
        for (quint32 ts : {0u, 0xFFFFFEu, 0xFFFFFFu, 0xFFFFFFFFu}) {
            QTest::addRow("chunk %u ts 0x%x", chunkSize, ts) << chunkSize << ts;
        }
    }
}

void tst_ChunkWriter::roundTrip() {
    QFETCH(quint32, chunkSize);
    QFETCH(quint32, timestamp);

    struct Sent {
        quint32 csid;
        int type;
        quint32 sid;
        quint32 ts;
        QByteArray payload;
    };
    const QList<Sent> sent = {
        {3, 20, 0, timestamp, ramp(0)},
        {4, 8, 1, timestamp, ramp(1, 1)},
        {6, 9, 1, timestamp, ramp(127, 2)},
        {6, 9, 1, timestamp + 1, ramp(128, 3)},
        {64, 9, 1, timestamp, ramp(129, 4)},
        {320, 18, 7, timestamp - 1, ramp(5000, 5)},
        {65599, 9, 0x01020304, timestamp, ramp(70000, 6)},
        {4, 8, 1, timestamp, ramp(65536, 7)},
    };

    // The peer learns the new chunk size from a Set Chunk Size sent with the old one.
    ChunkWriter writer;
    std::vector<std::uint8_t> wire;
    const Message setSize = makeSetChunkSize(chunkSize);
    writer.write(wire, setSize.chunkStreamId, setSize.header, setSize.payload);
    writer.setChunkSize(chunkSize);
    for (const Sent& s : sent) {
        writer.write(wire, s.csid, header(s.type, s.sid, s.ts), span(s.payload));
    }

    // Feed in awkward pieces so chunks straddle feeds.
    QList<Message> received;
    ChunkReader reader;
    const std::span<const std::uint8_t> all(wire);
    for (std::size_t offset = 0; offset < all.size(); offset += 1777) {
        auto status =
            reader.feed(all.subspan(offset, std::min<std::size_t>(1777, all.size() - offset)),
                        [&received](Message&& m) { received.append(std::move(m)); });
        QVERIFY2(status.has_value(), status ? "" : status.error().message().c_str());
    }
    QCOMPARE(reader.chunkSize(), chunkSize);
    QCOMPARE(reader.bytesReceived(), static_cast<std::uint64_t>(wire.size()));
    QCOMPARE(received.size(), sent.size() + 1);
    QCOMPARE(received[0].header.typeId, std::uint8_t{1});
    for (qsizetype i = 0; i < sent.size(); ++i) {
        const Message& m = received[i + 1];
        const Sent& s = sent[i];
        QCOMPARE(m.chunkStreamId, s.csid);
        QCOMPARE(m.header.typeId, static_cast<std::uint8_t>(s.type));
        QCOMPARE(m.header.streamId, s.sid);
        QCOMPARE(m.header.timestamp, s.ts);
        QCOMPARE(m.header.length, static_cast<std::uint32_t>(s.payload.size()));
        QCOMPARE(toBytes(m.payload), s.payload);
    }
}

QTEST_APPLESS_MAIN(tst_ChunkWriter)
#include "tst_ChunkWriter.moc"
