// Tests for the protocol control / user control builders and parsers (RTMP specification 1.0
// sections 5.4, 6.2, 7.1.7) and the Aggregate splitter (section 7.1.6).
#include <QtTest>

#include <initializer_list>
#include <span>

#include "protocol/rtmp/Control.h"

using namespace stagecast::protocol::rtmp;

Q_DECLARE_METATYPE(Message)

namespace {

QByteArray bytes(std::initializer_list<int> list) {
    QByteArray out;
    for (int b : list) {
        out.append(static_cast<char>(b));
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

Message aggregate(quint32 ts, quint32 sid, const QByteArray& payload) {
    Message m;
    m.chunkStreamId = 6;
    m.header.typeId = static_cast<std::uint8_t>(MessageType::Aggregate);
    m.header.streamId = sid;
    m.header.timestamp = ts;
    m.header.length = static_cast<std::uint32_t>(payload.size());
    m.payload.assign(payload.begin(), payload.end());
    return m;
}

QString describe(const Message& m) {
    return QStringLiteral("cs=%1 type=%2 sid=%3 ts=%4 len=%5 [%6]")
        .arg(m.chunkStreamId)
        .arg(m.header.typeId)
        .arg(m.header.streamId)
        .arg(m.header.timestamp)
        .arg(m.header.length)
        .arg(QString::fromLatin1(toBytes(m.payload).toHex(' ')));
}

// Two FLV tags: video at 1000 with 3 bytes, audio at 1040 with 2 bytes.
QByteArray twoTags() {
    return bytes({0x09,                     // tag type 9 video
                  0x00, 0x00, 0x03,         // data size 3
                  0x00, 0x03, 0xE8, 0x00,   // timestamp 1000, extension 0
                  0x00, 0x00, 0x00,         // stream id 0
                  0x17, 0x01, 0x02,         // data
                  0x00, 0x00, 0x00, 0x0E,   // back pointer 11 + 3
                  0x08,                     // tag type 8 audio
                  0x00, 0x00, 0x02,         // data size 2
                  0x00, 0x04, 0x10, 0x00,   // timestamp 1040
                  0x00, 0x00, 0x00,         // stream id 0
                  0xAF, 0x01,               // data
                  0x00, 0x00, 0x00, 0x0D}); // back pointer 11 + 2
}

} // namespace

class tst_Control : public QObject {
    Q_OBJECT

private slots:
    void builders_data();
    void builders();
    void parseU32Control_data();
    void parseU32Control();
    void parseUserControl_data();
    void parseUserControl();
    void userControlRoundTrip();
    void splitAggregate_data();
    void splitAggregate();
    void splitAggregateTruncatedAtEveryByte();
};

void tst_Control::builders_data() {
    QTest::addColumn<Message>("message");
    QTest::addColumn<int>("type");
    QTest::addColumn<QByteArray>("payload");

    QTest::newRow("Set Chunk Size 4096")
        << makeSetChunkSize(4096) << 1 << bytes({0x00, 0x00, 0x10, 0x00});
    QTest::newRow("Set Chunk Size clears the reserved top bit")
        << makeSetChunkSize(0x80000100u) << 1 << bytes({0x00, 0x00, 0x01, 0x00});
    QTest::newRow("Abort csid 4") << makeAbort(4) << 2 << bytes({0x00, 0x00, 0x00, 0x04});
    QTest::newRow("Acknowledgement")
        << makeAcknowledgement(0x01020304) << 3 << bytes({0x01, 0x02, 0x03, 0x04});
    QTest::newRow("Window Ack Size 2500000")
        << makeWindowAckSize(2500000) << 5 << bytes({0x00, 0x26, 0x25, 0xA0});
    QTest::newRow("Set Peer Bandwidth dynamic") << makeSetPeerBandwidth(2500000, 2) << 6
                                                << bytes({0x00, 0x26, 0x25, 0xA0, // window size
                                                          0x02}); // limit type dynamic
    QTest::newRow("User Control StreamBegin 1")
        << makeUserControl({UserControlEvent::StreamBegin, 1, 0}) << 4
        << bytes({0x00, 0x00,               // event 0 StreamBegin
                  0x00, 0x00, 0x00, 0x01}); // stream id 1
    QTest::newRow("User Control PingRequest")
        << makeUserControl({UserControlEvent::PingRequest, 0xABCDEF01u, 0}) << 4
        << bytes({0x00, 0x06,               // event 6 PingRequest
                  0xAB, 0xCD, 0xEF, 0x01}); // timestamp
    QTest::newRow("User Control SetBufferLength")
        << makeUserControl({UserControlEvent::SetBufferLength, 1, 3000}) << 4
        << bytes({0x00, 0x03,               // event 3 SetBufferLength
                  0x00, 0x00, 0x00, 0x01,   // stream id 1
                  0x00, 0x00, 0x0B, 0xB8}); // buffer length 3000 ms
}

void tst_Control::builders() {
    QFETCH(Message, message);
    QFETCH(int, type);
    QFETCH(QByteArray, payload);
    QCOMPARE(message.chunkStreamId, 2u);
    QCOMPARE(message.header.streamId, 0u);
    QCOMPARE(message.header.timestamp, 0u);
    QCOMPARE(int{message.header.typeId}, type);
    QCOMPARE(toBytes(message.payload).toHex(' '), payload.toHex(' '));
    QCOMPARE(message.header.length, static_cast<std::uint32_t>(message.payload.size()));
}

void tst_Control::parseU32Control_data() {
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<quint32>("value");
    QTest::addColumn<QString>("error");
    QTest::newRow("4 bytes") << bytes({0x00, 0x00, 0x10, 0x00}) << 4096u << QString();
    QTest::newRow("all bits") << bytes({0xFF, 0xFF, 0xFF, 0xFF}) << 0xFFFFFFFFu << QString();
    QTest::newRow("trailing byte tolerated")
        << bytes({0x00, 0x00, 0x00, 0x80, 0x55}) << 128u << QString();
    QTest::newRow("empty") << QByteArray() << 0u
                           << "rtmp: control message payload of 0 bytes, expected 4";
    QTest::newRow("3 bytes") << bytes({0x00, 0x10, 0x00}) << 0u
                             << "rtmp: control message payload of 3 bytes, expected 4";
}

void tst_Control::parseU32Control() {
    QFETCH(QByteArray, payload);
    QFETCH(quint32, value);
    QFETCH(QString, error);
    const auto result = stagecast::protocol::rtmp::parseU32Control(span(payload));
    if (error.isEmpty()) {
        QVERIFY(result.has_value());
        QCOMPARE(*result, value);
    } else {
        QVERIFY(!result.has_value());
        QCOMPARE(QString::fromStdString(result.error().message()), error);
    }
}

void tst_Control::parseUserControl_data() {
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("event");
    QTest::addColumn<quint32>("value");
    QTest::addColumn<quint32>("bufferLength");
    QTest::addColumn<QString>("error");

    QTest::newRow("StreamBegin") << bytes({0x00, 0x00, 0x00, 0x00, 0x00, 0x01}) << 0 << 1u << 0u
                                 << QString();
    QTest::newRow("StreamEof") << bytes({0x00, 0x01, 0x00, 0x00, 0x00, 0x02}) << 1 << 2u << 0u
                               << QString();
    QTest::newRow("PingResponse") << bytes({0x00, 0x07, 0x12, 0x34, 0x56, 0x78}) << 7 << 0x12345678u
                                  << 0u << QString();
    QTest::newRow("SetBufferLength")
        << bytes({0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x0B, 0xB8}) << 3 << 1u << 3000u
        << QString();
    QTest::newRow("unknown event without data")
        << bytes({0x00, 0x1A}) // event 26: SWF verification request, no data
        << 26 << 0u << 0u << QString();
    QTest::newRow("unknown event with data")
        << bytes({0x00, 0x1F, 0x00, 0x00, 0x00, 0x09}) << 31 << 9u << 0u << QString();
    QTest::newRow("empty") << QByteArray() << 0 << 0u << 0u
                           << "rtmp: user control payload of 0 bytes, expected at least 6";
    QTest::newRow("one byte") << bytes({0x00}) << 0 << 0u << 0u
                              << "rtmp: user control payload of 1 bytes, expected at least 6";
    QTest::newRow("StreamBegin without stream id")
        << bytes({0x00, 0x00, 0x00, 0x01}) << 0 << 0u << 0u
        << "rtmp: user control event 0 payload of 4 bytes, expected at least 6";
    QTest::newRow("SetBufferLength without length")
        << bytes({0x00, 0x03, 0x00, 0x00, 0x00, 0x01}) << 0 << 0u << 0u
        << "rtmp: SetBufferLength payload of 6 bytes, expected 10";
}

void tst_Control::parseUserControl() {
    QFETCH(QByteArray, payload);
    QFETCH(int, event);
    QFETCH(quint32, value);
    QFETCH(quint32, bufferLength);
    QFETCH(QString, error);
    const auto result = stagecast::protocol::rtmp::parseUserControl(span(payload));
    if (!error.isEmpty()) {
        QVERIFY(!result.has_value());
        QCOMPARE(QString::fromStdString(result.error().message()), error);
        return;
    }
    QVERIFY2(result.has_value(), result ? "" : result.error().message().c_str());
    QCOMPARE(static_cast<int>(result->event), event);
    QCOMPARE(result->value, value);
    QCOMPARE(result->bufferLength, bufferLength);
}

void tst_Control::userControlRoundTrip() {
    for (auto event :
         {UserControlEvent::StreamBegin, UserControlEvent::StreamEof, UserControlEvent::StreamDry,
          UserControlEvent::SetBufferLength, UserControlEvent::StreamIsRecorded,
          UserControlEvent::PingRequest, UserControlEvent::PingResponse}) {
        const UserControl in{event, 0xCAFE0000u + static_cast<std::uint32_t>(event), 2500};
        const Message m = makeUserControl(in);
        const auto out = stagecast::protocol::rtmp::parseUserControl(m.payload);
        QVERIFY(out.has_value());
        QCOMPARE(out->event, in.event);
        QCOMPARE(out->value, in.value);
        QCOMPARE(out->bufferLength, event == UserControlEvent::SetBufferLength ? 2500u : 0u);
    }
}

void tst_Control::splitAggregate_data() {
    QTest::addColumn<Message>("input");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QString>("error");

    QTest::newRow("two tags rebased on the aggregate timestamp")
        << aggregate(5000, 1, twoTags())
        << QStringList{"cs=6 type=9 sid=1 ts=5000 len=3 [17 01 02]",
                       "cs=6 type=8 sid=1 ts=5040 len=2 [af 01]"}
        << QString();
    QTest::newRow("empty aggregate") << aggregate(1, 1, {}) << QStringList() << QString();
    QTest::newRow("timestamp extension byte and wrap")
        << aggregate(100, 3, bytes({0x09, 0x00, 0x00, 0x01, // video, 1 byte
                                    0xFF, 0xFF, 0xF0, 0xFF, // timestamp 0xFFFFFFF0 (extension 0xFF)
                                    0x00, 0x00, 0x00, 0x11, //
                                    0x00, 0x00, 0x00, 0x0C, // back pointer
                                    0x09, 0x00, 0x00, 0x01, // video, 1 byte
                                    0x00, 0x00, 0x10, 0x00, // timestamp 0x10: 0x20 after the first
                                    0x00, 0x00, 0x00, 0x12, //
                                    0x00, 0x00, 0x00, 0x0C}))
        << QStringList{"cs=6 type=9 sid=3 ts=100 len=1 [11]", "cs=6 type=9 sid=3 ts=132 len=1 [12]"}
        << QString();
    QTest::newRow("missing last back pointer tolerated")
        << aggregate(7, 1, twoTags().chopped(4))
        << QStringList{"cs=6 type=9 sid=1 ts=7 len=3 [17 01 02]",
                       "cs=6 type=8 sid=1 ts=47 len=2 [af 01]"}
        << QString();
    QTest::newRow("truncated tag header")
        << aggregate(7, 1, twoTags() + bytes({0x09, 0x00, 0x00})) << QStringList()
        << "rtmp: aggregate sub-message at offset 35 truncated: header needs 11 "
           "bytes, 3 left";
    QTest::newRow("data size beyond the end")
        << aggregate(7, 1,
                     bytes({0x09, 0x00, 0x01, 0x00, // data size 256
                            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x17}))
        << QStringList()
        << "rtmp: aggregate sub-message at offset 0 declares 256 data bytes, 1 left";
    QTest::newRow("truncated back pointer")
        << aggregate(7, 1, twoTags().left(16)) // first tag + 2 bytes of its back pointer
        << QStringList()
        << "rtmp: aggregate sub-message at offset 0 truncated: back pointer needs 4 bytes, 2 left";
}

void tst_Control::splitAggregate() {
    QFETCH(Message, input);
    QFETCH(QStringList, expected);
    QFETCH(QString, error);
    const auto result = stagecast::protocol::rtmp::splitAggregate(input);
    if (!error.isEmpty()) {
        QVERIFY(!result.has_value());
        QCOMPARE(QString::fromStdString(result.error().message()), error);
        return;
    }
    QVERIFY2(result.has_value(), result ? "" : result.error().message().c_str());
    QStringList got;
    for (const Message& m : *result) {
        got << describe(m);
    }
    QCOMPARE(got, expected);
}

void tst_Control::splitAggregateTruncatedAtEveryByte() {
    // Every prefix either fails cleanly or yields a prefix of the full result: whole tags
    // (with or without their final back pointer) parse, anything cut inside a tag fails.
    const QByteArray full = twoTags();
    const auto whole = stagecast::protocol::rtmp::splitAggregate(aggregate(0, 1, full));
    QVERIFY(whole.has_value());
    QCOMPARE(whole->size(), std::size_t{2});
    for (qsizetype n = 0; n <= full.size(); ++n) {
        const auto part = stagecast::protocol::rtmp::splitAggregate(aggregate(0, 1, full.left(n)));
        const bool boundary = n == 0 || n == 14 || n == 18 || n == 31 || n == 35;
        QVERIFY2(part.has_value() == boundary, qPrintable(QString::number(n)));
        if (part) {
            QVERIFY(part->size() <= whole->size());
            for (std::size_t i = 0; i < part->size(); ++i) {
                QCOMPARE(describe((*part)[i]), describe((*whole)[i]));
            }
        }
    }
}

QTEST_APPLESS_MAIN(tst_Control)
#include "tst_Control.moc"
