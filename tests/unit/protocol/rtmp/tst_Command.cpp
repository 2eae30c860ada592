// Tests for RTMP NetConnection/NetStream commands (RTMP specification 1.0, section 7.2).
#include <QByteArray>
#include <QTest>

#include <initializer_list>
#include <span>
#include <string>
#include <vector>

#include "protocol/amf0/Amf0.h"
#include "protocol/rtmp/Command.h"

namespace amf0 = stagecast::protocol::amf0;
namespace rtmp = stagecast::protocol::rtmp;
using amf0::Type;
using amf0::Value;

namespace {

/// One line of an annotated byte table.
struct Seg {
    QByteArray bytes;
    /// Hex bytes, optionally followed by the characters of a string: {{0x00, 0x03}, "app"}.
    Seg(std::initializer_list<int> list, const char* text = "") {
        for (int v : list) {
            bytes.append(static_cast<char>(v));
        }
        bytes.append(text);
    }
};

QByteArray table(std::initializer_list<Seg> segs) {
    QByteArray out;
    for (const auto& s : segs) {
        out.append(s.bytes);
    }
    return out;
}

std::span<const std::uint8_t> span(const QByteArray& b) {
    return {reinterpret_cast<const std::uint8_t*>(b.constData()),
            static_cast<std::size_t>(b.size())};
}

QByteArray toQ(const std::vector<std::uint8_t>& v) {
    return QByteArray(reinterpret_cast<const char*>(v.data()), static_cast<qsizetype>(v.size()));
}

std::optional<std::string_view> sv(const char* s) {
    return std::string_view(s);
}

std::optional<std::string_view> stringProp(const Value& v, const char* key) {
    const Value* p = v.get(key);
    return p ? p->asString() : std::nullopt;
}

std::optional<double> numberProp(const Value& v, const char* key) {
    const Value* p = v.get(key);
    return p ? p->asNumber() : std::nullopt;
}

// ffmpeg/OBS-style connect (OBS sends type/swfUrl, ffmpeg's player fpad/codecs/videoFunction).
const QByteArray kConnect = table({
    {{0x02, 0x00, 0x07}, "connect"},                         // String (command name)
    {0x00, 0x3F, 0xF0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00},  // Number 1 (transaction id)
    {0x03},                                                  // Object (command object)
    {{0x00, 0x03}, "app"},                                   // name "app"
    {{0x02, 0x00, 0x04}, "live"},                            // String
    {{0x00, 0x04}, "type"},                                  // name "type"
    {{0x02, 0x00, 0x0A}, "nonprivate"},                      // String
    {{0x00, 0x08}, "flashVer"},                              // name "flashVer"
    {{0x02, 0x00, 0x1F}, "FMLE/3.0 (compatible; FMSc/1.0)"}, // String
    {{0x00, 0x06}, "swfUrl"},                                // name "swfUrl"
    {{0x02, 0x00, 0x1A}, "rtmp://127.0.0.1:1935/live"},      // String
    {{0x00, 0x05}, "tcUrl"},                                 // name "tcUrl"
    {{0x02, 0x00, 0x1A}, "rtmp://127.0.0.1:1935/live"},      // String
    {{0x00, 0x04}, "fpad"},                                  // name "fpad"
    {0x01, 0x00},                                            // Boolean false
    {{0x00, 0x0C}, "capabilities"},                          // name "capabilities"
    {0x00, 0x40, 0x2E, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00},  // Number 15
    {{0x00, 0x0B}, "audioCodecs"},                           // name "audioCodecs"
    {0x00, 0x40, 0xAF, 0xCE, 0x00, 0x00, 0x00, 0x00, 0x00},  // Number 4071
    {{0x00, 0x0B}, "videoCodecs"},                           // name "videoCodecs"
    {0x00, 0x40, 0x6F, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00},  // Number 252
    {{0x00, 0x0D}, "videoFunction"},                         // name "videoFunction"
    {0x00, 0x3F, 0xF0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00},  // Number 1
    {{0x00, 0x0E}, "objectEncoding"},                        // name "objectEncoding"
    {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00},  // Number 0 (AMF0)
    {0x00, 0x00, 0x09},                                      // object end
});
// Value boundaries in kConnect: name, transaction id, command object.
const QList<int> kConnectEnds{10, 19, 295};

const QByteArray kPublish = table({
    {{0x02, 0x00, 0x07}, "publish"},                               // String (command name)
    {0x00, 0x40, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00},        // Number 5 (transaction id)
    {0x05},                                                        // Null (command object)
    {{0x02, 0x00, 0x25}, "stream?auth_key=1700000000-0-0-abc123"}, // String (publishing name)
    {{0x02, 0x00, 0x04}, "live"},                                  // String (publishing type)
});
const QList<int> kPublishEnds{10, 19, 20, 60, 67};

const QByteArray kPlay = table({
    {{0x02, 0x00, 0x04}, "play"},                           // String (command name)
    {0x00, 0x40, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}, // Number 4 (transaction id)
    {0x05},                                                 // Null (command object)
    {{0x02, 0x00, 0x06}, "stream"},                         // String (stream name)
    {0x00, 0xC0, 0x9F, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00}, // Number -2000 (start: live first)
});
const QList<int> kPlayEnds{7, 16, 17, 26, 35};

const QByteArray kCreateStream = table({
    {{0x02, 0x00, 0x0C}, "createStream"},                   // String (command name)
    {0x00, 0x40, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}, // Number 4 (transaction id)
    {0x05},                                                 // Null (command object)
});

const QByteArray kReleaseStream = table({
    {{0x02, 0x00, 0x0D}, "releaseStream"},                  // String (command name)
    {0x00, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}, // Number 2 (transaction id)
    {0x05},                                                 // Null (command object)
    {{0x02, 0x00, 0x06}, "stream"},                         // String (stream name)
});

const QByteArray kFCPublish = table({
    {{0x02, 0x00, 0x09}, "FCPublish"},                      // String (command name)
    {0x00, 0x40, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}, // Number 3 (transaction id)
    {0x05},                                                 // Null (command object)
    {{0x02, 0x00, 0x06}, "stream"},                         // String (stream name)
});

// OBS's metadata wrapped for the server: @setDataFrame("onMetaData", ECMA array).
const QByteArray kSetDataFrame = table({
    {{0x02, 0x00, 0x0D}, "@setDataFrame"},                  // String (data handler)
    {{0x02, 0x00, 0x0A}, "onMetaData"},                     // String (event name)
    {0x08, 0x00, 0x00, 0x00, 0x02},                         // ECMA array, count 2
    {{0x00, 0x05}, "width"},                                // name "width"
    {0x00, 0x40, 0x9E, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}, // Number 1920
    {{0x00, 0x07}, "encoder"},                              // name "encoder"
    {{0x02, 0x00, 0x03}, "obs"},                            // String "obs"
    {0x00, 0x00, 0x09},                                     // object end
});

} // namespace

class TstCommand : public QObject {
    Q_OBJECT

private slots:
    void parseRealWorld_data();
    void parseRealWorld();
    void parseConnectFields();
    void parsePublishAndPlay();
    void parseAmf3CommandBody();
    void parseDefaults();
    void parseErrors_data();
    void parseErrors();
    void splitAtEveryByte_data();
    void splitAtEveryByte();
    void encodeCommandBytes();
    void encodeParseRoundTrip();
    void makeCommandMessageHeader();
    void connectResult();
    void createStreamResult();
    void simpleResult();
    void commandError();
    void onStatus();
    void onStatusWithDetails();
    void onFCPublish();
    void sampleAccess();
    void normalizeDataFrameStrips();
    void normalizeDataFrameKeeps_data();
    void normalizeDataFrameKeeps();
    void normalizeDataFrameErrors();
};

void TstCommand::parseRealWorld_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("name");
    QTest::addColumn<double>("transactionId");
    QTest::addColumn<int>("commandObjectType");
    QTest::addColumn<int>("argumentCount");

    QTest::newRow("connect") << kConnect << "connect" << 1.0 << int(Type::Object) << 0;
    QTest::newRow("publish") << kPublish << "publish" << 5.0 << int(Type::Null) << 2;
    QTest::newRow("play") << kPlay << "play" << 4.0 << int(Type::Null) << 2;
    QTest::newRow("createStream") << kCreateStream << "createStream" << 4.0 << int(Type::Null) << 0;
    QTest::newRow("releaseStream")
        << kReleaseStream << "releaseStream" << 2.0 << int(Type::Null) << 1;
    QTest::newRow("FCPublish") << kFCPublish << "FCPublish" << 3.0 << int(Type::Null) << 1;
}

void TstCommand::parseRealWorld() {
    QFETCH(QByteArray, bytes);
    QFETCH(QString, name);
    QFETCH(double, transactionId);
    QFETCH(int, commandObjectType);
    QFETCH(int, argumentCount);
    auto cmd = rtmp::parseCommand(span(bytes));
    QVERIFY2(cmd.has_value(), cmd ? "" : cmd.error().message().c_str());
    QCOMPARE(QString::fromStdString(cmd->name), name);
    QCOMPARE(cmd->transactionId, transactionId);
    QCOMPARE(int(cmd->commandObject.type()), commandObjectType);
    QCOMPARE(cmd->arguments.size(), static_cast<std::size_t>(argumentCount));
}

void TstCommand::parseConnectFields() {
    auto cmd = rtmp::parseCommand(span(kConnect));
    QVERIFY(cmd.has_value());
    const Value& o = cmd->commandObject;
    QCOMPARE(o.properties().size(), std::size_t{11});
    QCOMPARE(o.properties()[0].first, std::string("app"));
    QCOMPARE(stringProp(o, "app"), sv("live"));
    QCOMPARE(stringProp(o, "type"), sv("nonprivate"));
    QCOMPARE(stringProp(o, "flashVer"), sv("FMLE/3.0 (compatible; FMSc/1.0)"));
    QCOMPARE(stringProp(o, "swfUrl"), sv("rtmp://127.0.0.1:1935/live"));
    QCOMPARE(stringProp(o, "tcUrl"), sv("rtmp://127.0.0.1:1935/live"));
    QCOMPARE(o.get("fpad")->asBoolean(), std::optional<bool>(false));
    QCOMPARE(numberProp(o, "capabilities"), std::optional<double>(15));
    QCOMPARE(numberProp(o, "audioCodecs"), std::optional<double>(4071));
    QCOMPARE(numberProp(o, "videoCodecs"), std::optional<double>(252));
    QCOMPARE(numberProp(o, "videoFunction"), std::optional<double>(1));
    QCOMPARE(numberProp(o, "objectEncoding"), std::optional<double>(0));
    QCOMPARE(o.properties()[10].first, std::string("objectEncoding"));
}

void TstCommand::parsePublishAndPlay() {
    auto publish = rtmp::parseCommand(span(kPublish));
    QVERIFY(publish.has_value());
    QCOMPARE(publish->arguments[0].asString(), sv("stream?auth_key=1700000000-0-0-abc123"));
    QCOMPARE(publish->arguments[1].asString(), sv("live"));

    auto play = rtmp::parseCommand(span(kPlay));
    QVERIFY(play.has_value());
    QCOMPARE(play->arguments[0].asString(), sv("stream"));
    QCOMPARE(play->arguments[1].asNumber(), std::optional<double>(-2000));
}

void TstCommand::parseAmf3CommandBody() {
    // A type-17 command: one 0x00 format byte, then AMF0. The caller passes the rest.
    QByteArray amf3 = table({{0x00}}) + kPublish;
    auto cmd = rtmp::parseCommand(span(amf3).subspan(1));
    QVERIFY(cmd.has_value());
    QCOMPARE(cmd->name, std::string("publish"));
    // Without stripping, the 0x00 reads as a Number marker: the name check must catch it.
    auto raw = rtmp::parseCommand(span(amf3));
    QVERIFY(!raw.has_value());
}

void TstCommand::parseDefaults() {
    // Name only: transaction id 0 and a Null command object.
    const QByteArray nameOnly = table({{{0x02, 0x00, 0x05}, "close"}}); // String "close"
    auto a = rtmp::parseCommand(span(nameOnly));
    QVERIFY(a.has_value());
    QCOMPARE(a->name, std::string("close"));
    QCOMPARE(a->transactionId, 0.0);
    QCOMPARE(a->commandObject.type(), Type::Null);
    QVERIFY(a->arguments.empty());

    const QByteArray nameAndId = table({
        {{0x02, 0x00, 0x0C}, "deleteStream"}, // String (command name)
        {0x00, 0x40, 0x1C, 0, 0, 0, 0, 0, 0}, // Number 7 (transaction id)
    });
    auto b = rtmp::parseCommand(span(nameAndId));
    QVERIFY(b.has_value());
    QCOMPARE(b->transactionId, 7.0);
    QCOMPARE(b->commandObject.type(), Type::Null);

    // The command object may be any type (some encoders send Undefined or an array).
    const QByteArray undefinedObject = table({
        {{0x02, 0x00, 0x01}, "x"},      // String "x"
        {0x00, 0, 0, 0, 0, 0, 0, 0, 0}, // Number 0
        {0x06},                         // Undefined
        {0x01, 0x01},                   // Boolean true
    });
    auto c = rtmp::parseCommand(span(undefinedObject));
    QVERIFY(c.has_value());
    QCOMPARE(c->commandObject.type(), Type::Undefined);
    QCOMPARE(c->arguments.size(), std::size_t{1});
    QCOMPARE(c->arguments[0].asBoolean(), std::optional<bool>(true));
}

void TstCommand::parseErrors_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("fragment");

    QTest::newRow("empty payload")
        << QByteArray() << "rtmp: command payload is empty, expected a name string";
    QTest::newRow("name is a number") << table({{0x00, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0}}) // Number 1
                                      << "rtmp: command name must be an AMF0 string, got Number";
    QTest::newRow("name is null") << table({{0x05}}) // Null
                                  << "rtmp: command name must be an AMF0 string, got Null";
    QTest::newRow("transaction id is a string")
        << table({{{0x02, 0x00, 0x04}, "play"}, {{0x02, 0x00, 0x01}, "1"}}) // "play", "1"
        << "rtmp: transaction id of command 'play' must be an AMF0 number, got String";
    QTest::newRow("malformed amf")
        << table({{{0x02, 0x00, 0x04}, "play"}, {0x42}}) // "play", bad marker
        << "rtmp: malformed command: amf0: unknown type marker 0x42 at offset 7";
    QTest::newRow("truncated argument")
        << table({{{0x02, 0x00, 0x04}, "play"}, {0x00, 0x40}}) // "play", half a Number
        << "amf0: number at offset 7 runs past end of data";
    QTest::newRow("AMF3 value in command")
        << table({{{0x02, 0x00, 0x01}, "x"}, {0x11, 0x01}}) // "x", AMF3 switch
        << "amf0: AMF3 values are not supported";
}

void TstCommand::parseErrors() {
    QFETCH(QByteArray, bytes);
    QFETCH(QString, fragment);
    auto cmd = rtmp::parseCommand(span(bytes));
    QVERIFY(!cmd.has_value());
    const QString message = QString::fromStdString(cmd.error().message());
    QVERIFY2(message.contains(fragment), qPrintable("message was: " + message));
}

void TstCommand::splitAtEveryByte_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QList<int>>("ends");

    QTest::newRow("connect") << kConnect << kConnectEnds;
    QTest::newRow("publish") << kPublish << kPublishEnds;
    QTest::newRow("play") << kPlay << kPlayEnds;
}

void TstCommand::splitAtEveryByte() {
    QFETCH(QByteArray, bytes);
    QFETCH(QList<int>, ends);
    QCOMPARE(ends.last(), bytes.size());
    auto full = rtmp::parseCommand(span(bytes));
    QVERIFY(full.has_value());
    auto values = amf0::decodeAll(span(bytes));
    QVERIFY(values.has_value());
    QCOMPARE(values->size(), static_cast<std::size_t>(ends.size()));

    // A cut on a value boundary parses as the shorter command (defaults for what is
    // missing); a cut inside a value is an error, never a guess.
    for (int cut = 1; cut < bytes.size(); ++cut) {
        auto part = rtmp::parseCommand(span(bytes.left(cut)));
        const int complete = ends.indexOf(cut) + 1;
        if (complete == 0) {
            QVERIFY2(!part.has_value(), qPrintable(QString("cut at %1 parsed").arg(cut)));
            continue;
        }
        QVERIFY2(part.has_value(), qPrintable(QString("cut at %1 failed").arg(cut)));
        QCOMPARE(part->name, full->name);
        QCOMPARE(part->transactionId, complete >= 2 ? full->transactionId : 0.0);
        QVERIFY(part->commandObject == (complete >= 3 ? full->commandObject : Value::null()));
        QCOMPARE(part->arguments.size(), static_cast<std::size_t>(std::max(0, complete - 3)));
        for (std::size_t i = 0; i < part->arguments.size(); ++i) {
            QVERIFY(part->arguments[i] == full->arguments[i]);
        }
    }
}

void TstCommand::encodeCommandBytes() {
    rtmp::Command cmd;
    cmd.name = "deleteStream";
    cmd.transactionId = 6;
    cmd.arguments.push_back(Value::number(1));
    const QByteArray expected = table({
        {{0x02, 0x00, 0x0C}, "deleteStream"}, // String (command name)
        {0x00, 0x40, 0x18, 0, 0, 0, 0, 0, 0}, // Number 6 (transaction id)
        {0x05},                               // Null (default command object)
        {0x00, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0}, // Number 1 (stream id)
    });
    QCOMPARE(toQ(rtmp::encodeCommand(cmd)).toHex(' '), expected.toHex(' '));
}

void TstCommand::encodeParseRoundTrip() {
    for (const QByteArray& bytes : {kConnect, kPublish, kPlay, kCreateStream, kFCPublish}) {
        auto cmd = rtmp::parseCommand(span(bytes));
        QVERIFY(cmd.has_value());
        // These inputs carry explicit id and command object, so encoding gives them back.
        QCOMPARE(toQ(rtmp::encodeCommand(*cmd)).toHex(' '), bytes.toHex(' '));
    }
}

void TstCommand::makeCommandMessageHeader() {
    rtmp::Command cmd;
    cmd.name = "onBWDone";
    const auto m = rtmp::makeCommandMessage(cmd, 7);
    QCOMPARE(m.chunkStreamId, 3u);
    QCOMPARE(m.header.typeId, std::uint8_t{20});
    QCOMPARE(m.header.streamId, 7u);
    QCOMPARE(m.header.timestamp, 0u);
    QCOMPARE(m.header.length, static_cast<std::uint32_t>(m.payload.size()));
    QCOMPARE(m.payload, rtmp::encodeCommand(cmd));
}

void TstCommand::connectResult() {
    const auto m = rtmp::makeConnectResult(1, 0);
    QCOMPARE(m.chunkStreamId, 3u);
    QCOMPARE(m.header.typeId, std::uint8_t{20});
    QCOMPARE(m.header.streamId, 0u);
    QCOMPARE(m.header.length, static_cast<std::uint32_t>(m.payload.size()));

    auto v = amf0::decodeAll(m.payload);
    QVERIFY(v.has_value());
    QCOMPARE(v->size(), std::size_t{4});
    QCOMPARE((*v)[0].asString(), sv("_result"));
    QCOMPARE((*v)[1].asNumber(), std::optional<double>(1));
    const Value& props = (*v)[2];
    QCOMPARE(props.type(), Type::Object);
    QCOMPARE(props.properties().size(), std::size_t{2});
    QCOMPARE(stringProp(props, "fmsVer"), sv("FMS/3,0,1,123"));
    QCOMPARE(numberProp(props, "capabilities"), std::optional<double>(31));
    const Value& info = (*v)[3];
    QCOMPARE(info.type(), Type::Object);
    QCOMPARE(info.properties().size(), std::size_t{4});
    QCOMPARE(stringProp(info, "level"), sv("status"));
    QCOMPARE(stringProp(info, "code"), sv("NetConnection.Connect.Success"));
    QCOMPARE(stringProp(info, "description"), sv("Connection succeeded."));
    QCOMPARE(numberProp(info, "objectEncoding"), std::optional<double>(0));

    // objectEncoding is echoed.
    auto amf3 = amf0::decodeAll(rtmp::makeConnectResult(1, 3).payload);
    QVERIFY(amf3.has_value());
    QCOMPARE(numberProp((*amf3)[3], "objectEncoding"), std::optional<double>(3));
}

void TstCommand::createStreamResult() {
    const auto m = rtmp::makeCreateStreamResult(4, 1);
    QCOMPARE(m.chunkStreamId, 3u);
    QCOMPARE(m.header.typeId, std::uint8_t{20});
    QCOMPARE(m.header.streamId, 0u);
    QCOMPARE(m.header.length, static_cast<std::uint32_t>(m.payload.size()));
    const QByteArray expected = table({
        {{0x02, 0x00, 0x07}, "_result"},      // String (command name)
        {0x00, 0x40, 0x10, 0, 0, 0, 0, 0, 0}, // Number 4 (transaction id of createStream)
        {0x05},                               // Null (command object)
        {0x00, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0}, // Number 1 (stream id)
    });
    QCOMPARE(toQ(m.payload).toHex(' '), expected.toHex(' '));
}

void TstCommand::simpleResult() {
    const auto m = rtmp::makeSimpleResult(2);
    QCOMPARE(m.header.typeId, std::uint8_t{20});
    QCOMPARE(m.chunkStreamId, 3u);
    QCOMPARE(m.header.length, static_cast<std::uint32_t>(m.payload.size()));
    auto v = amf0::decodeAll(m.payload);
    QVERIFY(v.has_value());
    QCOMPARE(v->size(), std::size_t{3});
    QCOMPARE((*v)[0].asString(), sv("_result"));
    QCOMPARE((*v)[1].asNumber(), std::optional<double>(2));
    QCOMPARE((*v)[2].type(), Type::Null);
}

void TstCommand::commandError() {
    const auto m = rtmp::makeCommandError(5, "NetStream.Publish.BadName", "Stream already exists.");
    QCOMPARE(m.header.typeId, std::uint8_t{20});
    QCOMPARE(m.chunkStreamId, 3u);
    QCOMPARE(m.header.length, static_cast<std::uint32_t>(m.payload.size()));
    auto cmd = rtmp::parseCommand(m.payload);
    QVERIFY(cmd.has_value());
    QCOMPARE(cmd->name, std::string("_error"));
    QCOMPARE(cmd->transactionId, 5.0);
    QCOMPARE(cmd->commandObject.type(), Type::Null);
    QCOMPARE(cmd->arguments.size(), std::size_t{1});
    const Value& info = cmd->arguments[0];
    QCOMPARE(info.properties().size(), std::size_t{3});
    QCOMPARE(stringProp(info, "level"), sv("error"));
    QCOMPARE(stringProp(info, "code"), sv("NetStream.Publish.BadName"));
    QCOMPARE(stringProp(info, "description"), sv("Stream already exists."));
}

void TstCommand::onStatus() {
    const auto m = rtmp::makeOnStatus(1, "status", "NetStream.Publish.Start", "Start publishing");
    QCOMPARE(m.chunkStreamId, 3u);
    QCOMPARE(m.header.typeId, std::uint8_t{20});
    QCOMPARE(m.header.streamId, 1u);
    QCOMPARE(m.header.length, static_cast<std::uint32_t>(m.payload.size()));
    auto v = amf0::decodeAll(m.payload);
    QVERIFY(v.has_value());
    QCOMPARE(v->size(), std::size_t{4});
    QCOMPARE((*v)[0].asString(), sv("onStatus"));
    QCOMPARE((*v)[1].asNumber(), std::optional<double>(0));
    QCOMPARE((*v)[2].type(), Type::Null);
    const Value& info = (*v)[3];
    QCOMPARE(info.type(), Type::Object);
    QCOMPARE(info.properties().size(), std::size_t{3});
    QCOMPARE(info.properties()[0].first, std::string("level"));
    QCOMPARE(info.properties()[1].first, std::string("code"));
    QCOMPARE(info.properties()[2].first, std::string("description"));
    QCOMPARE(stringProp(info, "level"), sv("status"));
    QCOMPARE(stringProp(info, "code"), sv("NetStream.Publish.Start"));
    QCOMPARE(stringProp(info, "description"), sv("Start publishing"));
    QVERIFY(info.get("details") == nullptr);
}

void TstCommand::onStatusWithDetails() {
    const auto m =
        rtmp::makeOnStatus(2, "status", "NetStream.Play.Start", "Started playing", "stream");
    QCOMPARE(m.header.streamId, 2u);
    QCOMPARE(m.header.length, static_cast<std::uint32_t>(m.payload.size()));
    auto cmd = rtmp::parseCommand(m.payload);
    QVERIFY(cmd.has_value());
    QCOMPARE(cmd->name, std::string("onStatus"));
    QCOMPARE(cmd->transactionId, 0.0);
    QCOMPARE(cmd->arguments.size(), std::size_t{1});
    const Value& info = cmd->arguments[0];
    QCOMPARE(info.properties().size(), std::size_t{4});
    QCOMPARE(info.properties()[3].first, std::string("details"));
    QCOMPARE(stringProp(info, "details"), sv("stream"));
    QCOMPARE(stringProp(info, "code"), sv("NetStream.Play.Start"));
}

void TstCommand::onFCPublish() {
    const auto m = rtmp::makeOnFCPublish("NetStream.Publish.Start", "stream");
    QCOMPARE(m.chunkStreamId, 3u);
    QCOMPARE(m.header.typeId, std::uint8_t{20});
    QCOMPARE(m.header.streamId, 0u);
    QCOMPARE(m.header.length, static_cast<std::uint32_t>(m.payload.size()));
    const QByteArray expected = table({
        {{0x02, 0x00, 0x0B}, "onFCPublish"},             // String (command name)
        {0x00, 0, 0, 0, 0, 0, 0, 0, 0},                  // Number 0 (transaction id)
        {0x05},                                          // Null (command object)
        {0x03},                                          // Object
        {{0x00, 0x04}, "code"},                          // name "code"
        {{0x02, 0x00, 0x17}, "NetStream.Publish.Start"}, // String
        {{0x00, 0x0B}, "description"},                   // name "description"
        {{0x02, 0x00, 0x06}, "stream"},                  // String
        {0x00, 0x00, 0x09},                              // object end
    });
    QCOMPARE(toQ(m.payload).toHex(' '), expected.toHex(' '));
}

void TstCommand::sampleAccess() {
    const auto m = rtmp::makeSampleAccess(1);
    QCOMPARE(m.chunkStreamId, 5u);
    QCOMPARE(m.header.typeId, std::uint8_t{18});
    QCOMPARE(m.header.streamId, 1u);
    QCOMPARE(m.header.length, static_cast<std::uint32_t>(m.payload.size()));
    const QByteArray expected = table({
        {{0x02, 0x00, 0x11}, "|RtmpSampleAccess"}, // String (handler)
        {0x01, 0x01},                              // Boolean true (audio)
        {0x01, 0x01},                              // Boolean true (video)
    });
    QCOMPARE(toQ(m.payload).toHex(' '), expected.toHex(' '));
}

void TstCommand::normalizeDataFrameStrips() {
    auto out = rtmp::normalizeDataFrame(span(kSetDataFrame));
    QVERIFY2(out.has_value(), out ? "" : out.error().message().c_str());
    // Exactly the bytes after the "@setDataFrame" string (16 bytes).
    QCOMPARE(toQ(*out).toHex(' '), kSetDataFrame.mid(16).toHex(' '));
    auto v = amf0::decodeAll(*out);
    QVERIFY(v.has_value());
    QCOMPARE(v->size(), std::size_t{2});
    QCOMPARE((*v)[0].asString(), sv("onMetaData"));
    QCOMPARE(numberProp((*v)[1], "width"), std::optional<double>(1920));
    QCOMPARE(stringProp((*v)[1], "encoder"), sv("obs"));

    // Only the wrapper alone: nothing left.
    auto alone = rtmp::normalizeDataFrame(span(kSetDataFrame.left(16)));
    QVERIFY(alone.has_value());
    QVERIFY(alone->empty());
}

void TstCommand::normalizeDataFrameKeeps_data() {
    QTest::addColumn<QByteArray>("bytes");

    QTest::newRow("already onMetaData") << kSetDataFrame.mid(16);
    QTest::newRow("empty payload") << QByteArray();
    QTest::newRow("other handler") << table({
        {{0x02, 0x00, 0x0A}, "onTextData"}, // String (handler)
        {0x03, 0x00, 0x00, 0x09},           // empty Object
    });
    QTest::newRow("first value not a string") << table({
        {0x05},                                // Null
        {{0x02, 0x00, 0x0D}, "@setDataFrame"}, // String, but not first
    });
    QTest::newRow("case differs") << table({
        {{0x02, 0x00, 0x0D}, "@SetDataFrame"}, // String with other case
        {0x05},                                // Null
    });
}

void TstCommand::normalizeDataFrameKeeps() {
    QFETCH(QByteArray, bytes);
    auto out = rtmp::normalizeDataFrame(span(bytes));
    QVERIFY(out.has_value());
    QCOMPARE(toQ(*out).toHex(' '), bytes.toHex(' '));
}

void TstCommand::normalizeDataFrameErrors() {
    // Malformed after the wrapper: refused with the offset in the whole payload.
    QByteArray bad = kSetDataFrame.left(16) + table({{{0x02, 0x00, 0x0A}, "onMeta"}});
    auto out = rtmp::normalizeDataFrame(span(bad));
    QVERIFY(!out.has_value());
    QVERIFY2(QString::fromStdString(out.error().message())
                 .contains("rtmp: malformed data message: amf0: string at offset 16"),
             out.error().message().c_str());

    auto marker = rtmp::normalizeDataFrame(span(table({{0x42}})));
    QVERIFY(!marker.has_value());
    QVERIFY(QString::fromStdString(marker.error().message()).contains("0x42 at offset 0"));
}

QTEST_APPLESS_MAIN(TstCommand)
#include "tst_Command.moc"
