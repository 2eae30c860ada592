// Tests for ChunkReader: RTMP chunk stream parsing (RTMP specification 1.0 section 5.3).
#include <QCryptographicHash>
#include <QtTest>

#include <initializer_list>
#include <span>

#include "protocol/rtmp/ChunkReader.h"

using namespace stagecast::protocol::rtmp;

namespace {

QByteArray bytes(std::initializer_list<int> list) {
    QByteArray out;
    for (int b : list) {
        out.append(static_cast<char>(b));
    }
    return out;
}

// `count` bytes counting up from `first` (mod 256), so misplaced bytes show up.
QByteArray ramp(int count, int first = 0) {
    QByteArray out;
    for (int i = 0; i < count; ++i) {
        out.append(static_cast<char>((first + i) & 0xFF));
    }
    return out;
}

std::span<const std::uint8_t> span(const QByteArray& a) {
    return {reinterpret_cast<const std::uint8_t*>(a.constData()),
            static_cast<std::size_t>(a.size())};
}

QString describe(const Message& m) {
    const QByteArray payload(reinterpret_cast<const char*>(m.payload.data()),
                             static_cast<qsizetype>(m.payload.size()));
    const QString data =
        payload.size() <= 16
            ? QString::fromLatin1(payload.toHex(' '))
            : QStringLiteral("md5 ") +
                  QString::fromLatin1(
                      QCryptographicHash::hash(payload, QCryptographicHash::Md5).toHex().left(12));
    return QStringLiteral("cs=%1 type=%2 sid=%3 ts=%4 len=%5 [%6]")
        .arg(m.chunkStreamId)
        .arg(m.header.typeId)
        .arg(m.header.streamId)
        .arg(m.header.timestamp)
        .arg(m.payload.size())
        .arg(data);
}

QString msg(int cs, int type, quint32 sid, quint32 ts, const QByteArray& payload) {
    Message m;
    m.chunkStreamId = static_cast<std::uint32_t>(cs);
    m.header.typeId = static_cast<std::uint8_t>(type);
    m.header.streamId = sid;
    m.header.timestamp = ts;
    m.payload.assign(payload.begin(), payload.end());
    return describe(m);
}

struct Outcome {
    QStringList messages;
    QString error;
    bool lengthsMatch = true; // every message's header.length equals its payload size
};

Outcome feedPieces(ChunkReader& reader, const QList<QByteArray>& pieces) {
    Outcome out;
    auto sink = [&out](Message&& m) {
        out.lengthsMatch = out.lengthsMatch && m.header.length == m.payload.size();
        out.messages << describe(m);
    };
    for (const QByteArray& piece : pieces) {
        auto status = reader.feed(span(piece), sink);
        if (!status) {
            out.error = QString::fromStdString(status.error().message());
            break;
        }
    }
    return out;
}

Outcome feedAll(const QByteArray& input, ChunkReaderLimits limits = {}) {
    ChunkReader reader(limits);
    return feedPieces(reader, {input});
}

// A Set Chunk Size message on chunk stream 2 in one type-0 chunk.
QByteArray setChunkSize(int size) {
    return bytes({
               0x02,                  // fmt 0, csid 2
               0x00, 0x00, 0x00,      // timestamp 0
               0x00, 0x00, 0x04,      // length 4
               0x01,                  // type 1 Set Chunk Size
               0x00, 0x00, 0x00, 0x00 // message stream 0
           }) +
           bytes({(size >> 24) & 0xFF, (size >> 16) & 0xFF, (size >> 8) & 0xFF, size & 0xFF});
}

} // namespace

class tst_ChunkReader : public QObject {
    Q_OBJECT

private slots:
    void headerForms_data();
    void headerForms();
    void interleavedChunkStreams();
    void setChunkSizeMidStream();
    void abortDiscardsPartialMessage();
    void timestampWrapsAcross2Pow32();
    void limits_data();
    void limits();
    void errorIsSticky();
    void splitAtEveryByte();
    void bytesReceivedCountsEverything();
};

void tst_ChunkReader::headerForms_data() {
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("type 0, one chunk")
        << bytes({0x03,                   // fmt 0, csid 3
                  0x00, 0x03, 0xE8,       // timestamp 1000
                  0x00, 0x00, 0x04,       // length 4
                  0x14,                   // type 20 command
                  0x01, 0x00, 0x00, 0x00, // message stream 1 (little-endian)
                  0xDE, 0xAD, 0xBE, 0xEF})
        << QStringList{msg(3, 20, 1, 1000, bytes({0xDE, 0xAD, 0xBE, 0xEF}))};

    QTest::newRow("type 0, stream id little-endian")
        << bytes({0x05,                   // fmt 0, csid 5
                  0x00, 0x00, 0x00,       // timestamp 0
                  0x00, 0x00, 0x01,       // length 1
                  0x12,                   // type 18 data
                  0x01, 0x02, 0x03, 0x04, // message stream 0x04030201
                  0x7F})
        << QStringList{msg(5, 18, 0x04030201, 0, bytes({0x7F}))};

    QTest::newRow("type 0 with extended timestamp")
        << bytes({0x04,                   // fmt 0, csid 4
                  0xFF, 0xFF, 0xFF,       // timestamp field 0xFFFFFF: extended follows
                  0x00, 0x00, 0x02,       // length 2
                  0x08,                   // type 8 audio
                  0x01, 0x00, 0x00, 0x00, // message stream 1
                  0x01, 0x23, 0x45, 0x67, // extended timestamp 0x01234567
                  0xAA, 0xBB})
        << QStringList{msg(4, 8, 1, 0x01234567, bytes({0xAA, 0xBB}))};

    QTest::newRow("type 1 after type 0")
        << bytes({0x06,                   // fmt 0, csid 6
                  0x00, 0x03, 0xE8,       // timestamp 1000
                  0x00, 0x00, 0x01,       // length 1
                  0x09,                   // type 9 video
                  0x01, 0x00, 0x00, 0x00, // message stream 1
                  0x11,                   //
                  0x46,                   // fmt 1, csid 6
                  0x00, 0x00, 0x21,       // timestamp delta 33
                  0x00, 0x00, 0x03,       // length 3
                  0x08,                   // type 8 audio (stream id inherited)
                  0x21, 0x22, 0x23})
        << QStringList{msg(6, 9, 1, 1000, bytes({0x11})),
                       msg(6, 8, 1, 1033, bytes({0x21, 0x22, 0x23}))};

    QTest::newRow("type 1 with extended delta")
        << bytes({0x06, 0x00, 0x00, 0x0A, 0x00, 0x00, 0x01, 0x09, 0x01, 0x00, 0x00, 0x00, // ts 10
                  0x11,                                                                   //
                  0x46,                   // fmt 1, csid 6
                  0xFF, 0xFF, 0xFF,       // delta field 0xFFFFFF: extended follows
                  0x00, 0x00, 0x01,       // length 1
                  0x09,                   // type 9
                  0x01, 0x00, 0x00, 0x00, // extended delta 0x01000000
                  0x22})
        << QStringList{msg(6, 9, 1, 10, bytes({0x11})), msg(6, 9, 1, 0x0100000A, bytes({0x22}))};

    QTest::newRow("type 2 after type 0")
        << bytes({0x06,                   // fmt 0, csid 6
                  0x00, 0x00, 0x64,       // timestamp 100
                  0x00, 0x00, 0x02,       // length 2
                  0x08,                   // type 8
                  0x01, 0x00, 0x00, 0x00, // message stream 1
                  0x01, 0x02,             //
                  0x86,                   // fmt 2, csid 6
                  0x00, 0x00, 0x28,       // timestamp delta 40 (length, type, stream inherited)
                  0x03, 0x04})
        << QStringList{msg(6, 8, 1, 100, bytes({0x01, 0x02})),
                       msg(6, 8, 1, 140, bytes({0x03, 0x04}))};

    QTest::newRow("type 3 continuation")
        << bytes({0x03,                    // fmt 0, csid 3
                  0x00, 0x00, 0x05,        // timestamp 5
                  0x00, 0x00, 0x82,        // length 130: two chunks at chunk size 128
                  0x09,                    // type 9
                  0x01, 0x00, 0x00, 0x00}) // message stream 1
               + ramp(128)                 // first chunk: 128 bytes
               + bytes({0xC3})             // fmt 3, csid 3: continuation
               + ramp(2, 128)
        << QStringList{msg(3, 9, 1, 5, ramp(130))};

    QTest::newRow("type 3 continuation with extended timestamp")
        << bytes({0x03,                          // fmt 0, csid 3
                  0xFF, 0xFF, 0xFF,              // extended
                  0x00, 0x00, 0x82,              // length 130
                  0x09,                          // type 9
                  0x01, 0x00, 0x00, 0x00,        // message stream 1
                  0x01, 0x00, 0x00, 0x00})       // extended timestamp 0x01000000
               + ramp(128)                       //
               + bytes({0xC3,                    // fmt 3, csid 3: continuation
                        0x01, 0x00, 0x00, 0x00}) // extended timestamp repeated
               + ramp(2, 128)
        << QStringList{msg(3, 9, 1, 0x01000000, ramp(130))};

    QTest::newRow("type 3 new message re-applies type 2 delta")
        << bytes({0x04, 0x00, 0x03, 0xE8, 0x00, 0x00, 0x01, 0x08, 0x01, 0x00, 0x00, 0x00, // ts 1000
                  0xA1,                                                                   //
                  0x84,             // fmt 2, csid 4
                  0x00, 0x00, 0x14, // delta 20
                  0xA2,             //
                  0xC4,             // fmt 3, csid 4: new message, delta 20 again
                  0xA3,             //
                  0xC4,             // and again
                  0xA4})
        << QStringList{msg(4, 8, 1, 1000, bytes({0xA1})), msg(4, 8, 1, 1020, bytes({0xA2})),
                       msg(4, 8, 1, 1040, bytes({0xA3})), msg(4, 8, 1, 1060, bytes({0xA4}))};

    // A type-0 field is re-applied as the delta (ffmpeg writes this, ffmpeg and SRS read it so).
    QTest::newRow("type 3 new message after type 0")
        << bytes({0x04, 0x00, 0x00, 0x28, 0x00, 0x00, 0x01, 0x08, 0x01, 0x00, 0x00, 0x00, // ts 40
                  0xA1,                                                                   //
                  0xC4, // fmt 3, csid 4: new message, +40
                  0xA2})
        << QStringList{msg(4, 8, 1, 40, bytes({0xA1})), msg(4, 8, 1, 80, bytes({0xA2}))};

    QTest::newRow("type 3 new message after extended header")
        << bytes({0x04,                   // fmt 0, csid 4
                  0xFF, 0xFF, 0xFF,       // extended
                  0x00, 0x00, 0x01,       // length 1
                  0x08,                   // type 8
                  0x01, 0x00, 0x00, 0x00, // message stream 1
                  0x01, 0x00, 0x00, 0x00, // extended timestamp 0x01000000
                  0xA1,                   //
                  0xC4,                   // fmt 3, csid 4: new message
                  0x00, 0x00, 0x00, 0x64, // extended field present: delta 100
                  0xA2})
        << QStringList{msg(4, 8, 1, 0x01000000, bytes({0xA1})),
                       msg(4, 8, 1, 0x01000064, bytes({0xA2}))};

    QTest::newRow("2-byte basic header")
        << bytes({0x00, 0x00, // fmt 0, csid 0 -> 2-byte form: 64 + 0 = 64
                  0x00, 0x00, 0x07, 0x00, 0x00, 0x01, 0x14, 0x00, 0x00, 0x00, 0x00, // ts 7, len 1
                  0x51,                                                             //
                  0x00, 0xFF, // fmt 0, 2-byte form: 64 + 255 = 319
                  0x00, 0x00, 0x08, 0x00, 0x00, 0x01, 0x14, 0x00, 0x00, 0x00, 0x00, // ts 8, len 1
                  0x52,                                                             //
                  0xC0, 0x00, // fmt 3, 2-byte form, csid 64: new message
                  0x53})
        << QStringList{msg(64, 20, 0, 7, bytes({0x51})), msg(319, 20, 0, 8, bytes({0x52})),
                       msg(64, 20, 0, 14, bytes({0x53}))};

    QTest::newRow("3-byte basic header")
        << bytes({0x01, 0x00, 0x01, // fmt 0, csid 1 -> 3-byte form: 64 + 0 + 1*256 = 320
                  0x00, 0x00, 0x09, 0x00, 0x00, 0x01, 0x14, 0x00, 0x00, 0x00, 0x00, // ts 9, len 1
                  0x61,                                                             //
                  0x01, 0xFF, 0xFF, // 3-byte form: 64 + 255 + 255*256 = 65599
                  0x00, 0x00, 0x0A, 0x00, 0x00, 0x01, 0x14, 0x00, 0x00, 0x00, 0x00, // ts 10
                  0x62,                                                             //
                  0x01, 0x3C, 0x00, // 3-byte form may also encode small ids: 64 + 60 = 124
                  0x00, 0x00, 0x0B, 0x00, 0x00, 0x01, 0x14, 0x00, 0x00, 0x00, 0x00, // ts 11
                  0x63})
        << QStringList{msg(320, 20, 0, 9, bytes({0x61})), msg(65599, 20, 0, 10, bytes({0x62})),
                       msg(124, 20, 0, 11, bytes({0x63}))};

    QTest::newRow("zero-length messages")
        << bytes({0x03,                   // fmt 0, csid 3
                  0x00, 0x00, 0x01,       // timestamp 1
                  0x00, 0x00, 0x00,       // length 0
                  0x12,                   // type 18
                  0x00, 0x00, 0x00, 0x00, // message stream 0
                  0xC3})                  // fmt 3: another empty message, delta 1 again
        << QStringList{msg(3, 18, 0, 1, {}), msg(3, 18, 0, 2, {})};

    QTest::newRow("type 1 inside a message continues it")
        << bytes({0x03, 0x00, 0x00, 0x05, 0x00, 0x00, 0x82, 0x09, 0x01, 0x00, 0x00, 0x00}) +
               ramp(128) +
               bytes({0x43,             // fmt 1, csid 3, inside the message
                      0x00, 0x00, 0x00, // delta 0
                      0x00, 0x00, 0x82, // same length 130
                      0x09})            // same type
               + ramp(2, 128)
        << QStringList{msg(3, 9, 1, 5, ramp(130))};
}

void tst_ChunkReader::headerForms() {
    QFETCH(QByteArray, input);
    QFETCH(QStringList, expected);
    const Outcome out = feedAll(input);
    QCOMPARE(out.error, QString());
    QCOMPARE(out.messages, expected);
    QVERIFY(out.lengthsMatch);
}

void tst_ChunkReader::interleavedChunkStreams() {
    const QByteArray a = ramp(200, 0x10);
    const QByteArray b = ramp(130, 0x80);
    QByteArray input;
    // cs 4, type 0: timestamp 10, length 200, type 8, stream 1; first 128 bytes of a
    input += bytes({0x04, 0x00, 0x00, 0x0A, 0x00, 0x00, 0xC8, 0x08, 0x01, 0x00, 0x00, 0x00});
    input += a.left(128);
    // cs 6, type 0: timestamp 11, length 130, type 9, stream 1; first 128 bytes of b
    input += bytes({0x06, 0x00, 0x00, 0x0B, 0x00, 0x00, 0x82, 0x09, 0x01, 0x00, 0x00, 0x00});
    input += b.left(128);
    // cs 4, type 3 continuation: the last 72 bytes complete a
    input += bytes({0xC4}) + a.mid(128);
    // cs 6, type 3 continuation: the last 2 bytes complete b
    input += bytes({0xC6}) + b.mid(128);
    const Outcome out = feedAll(input);
    QCOMPARE(out.error, QString());
    QCOMPARE(out.messages, (QStringList{msg(4, 8, 1, 10, a), msg(6, 9, 1, 11, b)}));
}

void tst_ChunkReader::setChunkSizeMidStream() {
    const QByteArray payload = ramp(20);
    QByteArray input;
    // Set Chunk Size 8; it applies to the chunks after it, in the same feed
    input += setChunkSize(8);
    // cs 3, type 0: timestamp 1, length 20, type 20, stream 0; then 8 + 8 + 4 bytes
    input += bytes({0x03, 0x00, 0x00, 0x01, 0x00, 0x00, 0x14, 0x14, 0x00, 0x00, 0x00, 0x00});
    input += payload.left(8);
    input += bytes({0xC3}) + payload.mid(8, 8);
    input += bytes({0xC3}) + payload.mid(16);
    ChunkReader reader;
    const Outcome out = feedPieces(reader, {input});
    QCOMPARE(out.error, QString());
    QCOMPARE(out.messages,
             (QStringList{msg(2, 1, 0, 0, bytes({0, 0, 0, 8})), msg(3, 20, 0, 1, payload)}));
    QCOMPARE(reader.chunkSize(), 8u);
}

void tst_ChunkReader::abortDiscardsPartialMessage() {
    QByteArray input;
    // cs 4, type 0: timestamp 10, length 200, type 8, stream 1; 128 bytes, then the sender
    // gives up on the message
    input += bytes({0x04, 0x00, 0x00, 0x0A, 0x00, 0x00, 0xC8, 0x08, 0x01, 0x00, 0x00, 0x00});
    input += ramp(128);
    input += bytes({0x02,                     // fmt 0, csid 2
                    0x00, 0x00, 0x00,         // timestamp 0
                    0x00, 0x00, 0x04,         // length 4
                    0x02,                     // type 2 Abort
                    0x00, 0x00, 0x00, 0x00,   // message stream 0
                    0x00, 0x00, 0x00, 0x04}); // abort chunk stream 4
    // cs 4, type 3 now starts a NEW 200-byte message (timestamp 10 + delta 10)
    input += bytes({0xC4}) + ramp(128, 0x40);
    input += bytes({0xC4}) + ramp(72, 0xC0);
    const Outcome out = feedAll(input);
    QCOMPARE(out.error, QString());
    QCOMPARE(out.messages, (QStringList{msg(2, 2, 0, 0, bytes({0, 0, 0, 4})),
                                        msg(4, 8, 1, 20, ramp(128, 0x40) + ramp(72, 0xC0))}));
}

void tst_ChunkReader::timestampWrapsAcross2Pow32() {
    const QByteArray input = bytes({0x04,                   // fmt 0, csid 4
                                    0xFF, 0xFF, 0xFF,       // extended
                                    0x00, 0x00, 0x01,       // length 1
                                    0x08,                   // audio
                                    0x01, 0x00, 0x00, 0x00, // message stream 1
                                    0xFF, 0xFF, 0xFF, 0xF0, // timestamp 2^32 - 16
                                    0xA1,                   //
                                    0x84,                   // fmt 2, csid 4
                                    0x00, 0x00, 0x20,       // delta 32: crosses 2^32
                                    0xA2});
    const Outcome out = feedAll(input);
    QCOMPARE(out.error, QString());
    QCOMPARE(out.messages, (QStringList{msg(4, 8, 1, 0xFFFFFFF0u, bytes({0xA1})),
                                        msg(4, 8, 1, 0x10, bytes({0xA2}))}));
    TimestampUnwrapper unwrapper;
    QCOMPARE(unwrapper.unwrap(0xFFFFFFF0u), std::int64_t{0xFFFFFFF0});
    QCOMPARE(unwrapper.unwrap(0x10), (std::int64_t{1} << 32) + 0x10);
}

void tst_ChunkReader::limits_data() {
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<quint32>("maxMessageSize");
    QTest::addColumn<quint32>("maxChunkSize");
    QTest::addColumn<quint32>("maxChunkStreams");
    QTest::addColumn<int>("messagesBefore");
    QTest::addColumn<QString>("error");

    const quint32 dMsg = ChunkReaderLimits{}.maxMessageSize;
    const quint32 dChunk = ChunkReaderLimits{}.maxChunkSize;
    const quint32 dStreams = ChunkReaderLimits{}.maxChunkStreams;

    QTest::newRow("type 0 length over maxMessageSize")
        << bytes({0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x65, // length 101
                  0x09, 0x01, 0x00, 0x00, 0x00})
        << 100u << dChunk << dStreams << 0
        << "rtmp: message length 101 on chunk stream 3 exceeds the limit of 100 bytes";
    QTest::newRow("type 1 length over maxMessageSize")
        << bytes({0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0x01, 0x00, 0x00, 0x00, // empty
                  0x43, 0x00, 0x00, 0x00,                                                 // fmt 1
                  0x00, 0x01, 0x00, // length 256
                  0x09})
        << 255u << dChunk << dStreams << 1
        << "rtmp: message length 256 on chunk stream 3 exceeds the limit of 255 bytes";
    QTest::newRow("chunk size 0") << setChunkSize(0) << dMsg << dChunk << dStreams << 0
                                  << "rtmp: chunk size 0 invalid, allowed 1..16777215";
    QTest::newRow("chunk size over default maxChunkSize")
        << setChunkSize(0x01000000) << dMsg << dChunk << dStreams << 0
        << "rtmp: chunk size 16777216 invalid, allowed 1..16777215";
    QTest::newRow("chunk size with reserved top bit")
        << setChunkSize(static_cast<int>(0x80000080u)) << dMsg << dChunk << dStreams << 0
        << "rtmp: chunk size 2147483776 invalid, allowed 1..16777215";
    QTest::newRow("chunk size over custom maxChunkSize")
        << setChunkSize(4097) << dMsg << 4096u << dStreams << 0
        << "rtmp: chunk size 4097 invalid, allowed 1..4096";
    QTest::newRow("Set Chunk Size payload too short")
        << bytes({0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, // length 2
                  0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10})
        << dMsg << dChunk << dStreams << 0 << "rtmp: Set Chunk Size payload of 2 bytes, expected 4";
    QTest::newRow("Abort payload too short")
        << bytes({0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, // length 3
                  0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04})
        << dMsg << dChunk << dStreams << 0 << "rtmp: Abort payload of 3 bytes, expected 4";
    QTest::newRow("too many chunk streams")
        << bytes({0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00, // cs 3
                  0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00, // cs 4
                  0xC3, // cs 3 again
                  0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00}) // cs 5
        << dMsg << dChunk << 2u << 3 << "rtmp: chunk stream 5 exceeds the limit of 2 chunk streams";
    QTest::newRow("type 1 on a new chunk stream")
        << bytes({0x47, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x09}) // fmt 1, csid 7
        << dMsg << dChunk << dStreams << 0 << "rtmp: chunk stream 7 starts with a type-1 header";
    QTest::newRow("type 2 on a new chunk stream")
        << bytes({0x80, 0x05, 0x00, 0x00, 0x00}) // fmt 2, 2-byte form csid 69
        << dMsg << dChunk << dStreams << 0 << "rtmp: chunk stream 69 starts with a type-2 header";
    QTest::newRow("type 3 on a new chunk stream")
        << bytes({0xC1, 0x00, 0x01}) // fmt 3, 3-byte form csid 320
        << dMsg << dChunk << dStreams << 0 << "rtmp: chunk stream 320 starts with a type-3 header";
    QTest::newRow("length change inside a message")
        << bytes({0x03, 0x00, 0x00, 0x05, 0x00, 0x00, 0x82, 0x09, 0x01, 0x00, 0x00, 0x00}) +
               ramp(128) +
               bytes({0x43, 0x00, 0x00, 0x00, 0x00, 0x00, 0x83, 0x09}) // fmt 1, length 131
        << dMsg << dChunk << dStreams << 0
        << "rtmp: chunk stream 3 changed the message length from 130 to 131 after 128 bytes";
}

void tst_ChunkReader::limits() {
    QFETCH(QByteArray, input);
    QFETCH(quint32, maxMessageSize);
    QFETCH(quint32, maxChunkSize);
    QFETCH(quint32, maxChunkStreams);
    QFETCH(int, messagesBefore);
    QFETCH(QString, error);
    ChunkReaderLimits limits;
    limits.maxMessageSize = maxMessageSize;
    limits.maxChunkSize = maxChunkSize;
    limits.maxChunkStreams = maxChunkStreams;
    const Outcome out = feedAll(input, limits);
    QCOMPARE(out.error, error);
    QCOMPARE(out.messages.size(), messagesBefore);

    // Byte by byte the same error comes out, at the same point.
    ChunkReader reader(limits);
    QList<QByteArray> single;
    for (char c : input) {
        single << QByteArray(1, c);
    }
    const Outcome split = feedPieces(reader, single);
    QCOMPARE(split.error, error);
    QCOMPARE(split.messages, out.messages);
}

void tst_ChunkReader::errorIsSticky() {
    ChunkReader reader;
    const Outcome first =
        feedPieces(reader, {bytes({0x47, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x09})});
    QCOMPARE(first.error, QStringLiteral("rtmp: chunk stream 7 starts with a type-1 header"));
    // A perfectly valid message afterwards still gets the same error and is not delivered.
    const Outcome second = feedPieces(reader, {bytes({0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
                                                      0x09, 0x00, 0x00, 0x00, 0x00, 0x01})});
    QCOMPARE(second.error, first.error);
    QVERIFY(second.messages.isEmpty());
}

void tst_ChunkReader::splitAtEveryByte() {
    // Many features in one stream: extended timestamps, continuation, interleaving, Set Chunk
    // Size, Abort, 2- and 3-byte basic headers, zero-length and type-3 new messages.
    QByteArray input;
    // cs 4, type 0: extended timestamp 0x01020304, length 150, type 8, stream 1; 128 bytes
    input += bytes({0x04, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x96, 0x08, 0x01, 0x00, 0x00, 0x00});
    input += bytes({0x01, 0x02, 0x03, 0x04});
    input += ramp(128);
    // cs 80 (2-byte form 0x00 0x10), type 0: timestamp 5, length 3, type 20, stream 0
    input += bytes({0x00, 0x10, 0x00, 0x00, 0x05, 0x00, 0x00, 0x03, 0x14, 0x00, 0x00, 0x00, 0x00});
    input += ramp(3, 0x50);
    // cs 4, type 3 continuation with the extended timestamp repeated; last 22 bytes
    input += bytes({0xC4, 0x01, 0x02, 0x03, 0x04}) + ramp(22, 128);
    // Set Chunk Size 10
    input += setChunkSize(10);
    // cs 320 (3-byte form 0x01 0x00 0x01), type 0: timestamp 7, length 25, type 9, stream 2
    input += bytes({0x01, 0x00, 0x01, 0x00, 0x00, 0x07, 0x00, 0x00, 0x19, 0x09, 0x02, 0x00, 0x00});
    input += bytes({0x00}) + ramp(10, 0x30);
    input += bytes({0xC1, 0x00, 0x01}) + ramp(10, 0x3A); // type 3, 3-byte form
    input += bytes({0xC1, 0x00, 0x01}) + ramp(5, 0x44);  // completes cs 320
    // cs 6, type 0: timestamp 1, length 20, type 9, stream 1; 10 bytes, then aborted
    input += bytes({0x06, 0x00, 0x00, 0x01, 0x00, 0x00, 0x14, 0x09, 0x01, 0x00, 0x00, 0x00});
    input += ramp(10, 0x60);
    // Abort (type 2) of chunk stream 6 on cs 2
    input += bytes({0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x02, 0x00, 0x00, 0x00, 0x00});
    input += bytes({0x00, 0x00, 0x00, 0x06});
    // cs 6, type 2 (delta 2) starts a new 20-byte message; then a type-3 continuation
    input += bytes({0x86, 0x00, 0x00, 0x02}) + ramp(10, 0x70);
    input += bytes({0xC6}) + ramp(10, 0x7A);
    // cs 5, type 0: timestamp 3, length 0, type 18; then type 3: another empty message
    input += bytes({0x05, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x12, 0x00, 0x00, 0x00, 0x00});
    input += bytes({0xC5});
    const Outcome whole = feedAll(input);
    QCOMPARE(whole.error, QString());
    QCOMPARE(whole.messages.size(), 8);
    QCOMPARE(whole.messages.at(0), msg(80, 20, 0, 5, ramp(3, 0x50)));
    QCOMPARE(whole.messages.at(1), msg(4, 8, 1, 0x01020304, ramp(150)));
    QCOMPARE(whole.messages.at(3), msg(320, 9, 2, 7, ramp(25, 0x30)));
    QCOMPARE(whole.messages.at(5), msg(6, 9, 1, 3, ramp(20, 0x70)));
    QCOMPARE(whole.messages.at(7), msg(5, 18, 0, 6, {}));

    for (qsizetype i = 0; i <= input.size(); ++i) {
        ChunkReader reader;
        const Outcome split = feedPieces(reader, {input.left(i), input.mid(i)});
        QCOMPARE(split.error, QString());
        QCOMPARE(split.messages, whole.messages);
        QCOMPARE(reader.bytesReceived(), static_cast<std::uint64_t>(input.size()));
    }
    for (qsizetype step : {1, 2, 3, 7, 13}) {
        QList<QByteArray> pieces;
        for (qsizetype i = 0; i < input.size(); i += step) {
            pieces << input.mid(i, step);
        }
        ChunkReader reader;
        const Outcome split = feedPieces(reader, pieces);
        QCOMPARE(split.error, QString());
        QCOMPARE(split.messages, whole.messages);
    }
}

void tst_ChunkReader::bytesReceivedCountsEverything() {
    ChunkReader reader;
    QCOMPARE(reader.bytesReceived(), std::uint64_t{0});
    const QByteArray partial = bytes({0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10}); // incomplete
    const Outcome out = feedPieces(reader, {partial, QByteArray(), bytes({0x09})});
    QCOMPARE(out.error, QString());
    QVERIFY(out.messages.isEmpty());
    QCOMPARE(reader.bytesReceived(), std::uint64_t{8});
}

QTEST_APPLESS_MAIN(tst_ChunkReader)
#include "tst_ChunkReader.moc"
