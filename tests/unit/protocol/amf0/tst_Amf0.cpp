// Tests for AMF0 decode/encode (Adobe AMF0 specification, sections 2.2-2.18).
#include <QByteArray>
#include <QTest>

#include <cmath>
#include <initializer_list>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "protocol/amf0/Amf0.h"

using stagecast::base::ByteReader;
using stagecast::base::ByteWriter;
namespace amf0 = stagecast::protocol::amf0;
using amf0::Properties;
using amf0::Type;
using amf0::Value;

Q_DECLARE_METATYPE(stagecast::protocol::amf0::Value)

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

std::string describe(const Value& v) {
    switch (v.type()) {
    case Type::Number:
        return std::to_string(*v.asNumber());
    case Type::Boolean:
        return *v.asBoolean() ? "true" : "false";
    case Type::String:
        return "\"" + std::string(*v.asString()) + "\"";
    case Type::Null:
        return "null";
    case Type::Undefined:
        return "undefined";
    case Type::Date:
        return "date(" + std::to_string(*v.asNumber()) + ")";
    case Type::Object:
    case Type::EcmaArray: {
        std::string s = v.type() == Type::Object ? "{" : "ecma{";
        for (const auto& [k, p] : v.properties()) {
            s += k + ": " + describe(p) + ", ";
        }
        return s + "}";
    }
    case Type::StrictArray: {
        std::string s = "[";
        for (const auto& i : v.items()) {
            s += describe(i) + ", ";
        }
        return s + "]";
    }
    }
    return "?";
}

#define VERIFY_VALUE_EQ(actual, expected)                                                          \
    QVERIFY2((actual) == (expected),                                                               \
             ("got " + describe(actual) + ", expected " + describe(expected)).c_str())

Value str(const char* s) {
    return Value::string(s);
}
Value num(double d) {
    return Value::number(d);
}

/// `n` nested objects {"a": {"a": ... {} }} with their closing markers.
QByteArray nestedObjects(int n) {
    QByteArray b;
    for (int i = 0; i < n; ++i) {
        b.append(table({{0x03}})); // Object marker
        if (i + 1 < n) {
            b.append(table({{{0x00, 0x01}, "a"}})); // name "a"
        }
    }
    for (int i = 0; i < n; ++i) {
        b.append(table({{0x00, 0x00, 0x09}})); // object end
    }
    return b;
}

// OBS's metadata as published: @setDataFrame("onMetaData", ECMA array).
const QByteArray kObsMetadata = table({
    {{0x02, 0x00, 0x0D}, "@setDataFrame"},                             // String (data handler)
    {{0x02, 0x00, 0x0A}, "onMetaData"},                                // String (event name)
    {0x08, 0x00, 0x00, 0x00, 0x05},                                    // ECMA array, count 5
    {{0x00, 0x08}, "duration"},                                        // name "duration"
    {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00},            // Number 0
    {{0x00, 0x05}, "width"},                                           // name "width"
    {0x00, 0x40, 0x9E, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00},            // Number 1920
    {{0x00, 0x06}, "height"},                                          // name "height"
    {0x00, 0x40, 0x90, 0xE0, 0x00, 0x00, 0x00, 0x00, 0x00},            // Number 1080
    {{0x00, 0x0C}, "videocodecid"},                                    // name "videocodecid"
    {0x00, 0x40, 0x1C, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00},            // Number 7 (AVC)
    {{0x00, 0x07}, "encoder"},                                         // name "encoder"
    {{0x02, 0x00, 0x29}, "obs-output module (libobs version 30.0.0)"}, // String
    {0x00, 0x00, 0x09},                                                // object end
});

} // namespace

class TstAmf0 : public QObject {
    Q_OBJECT

private slots:
    void canonical_data();
    void canonical();
    void decodeOnly_data();
    void decodeOnly();
    void longStringEncoding_data();
    void longStringEncoding();
    void malformed_data();
    void malformed();
    void depthLimit();
    void decodeAllObsMetadata();
    void decodeAllEmpty();
    void splitAtEveryByte_data();
    void splitAtEveryByte();
    void ecmaArrayMissingEndAtEveryByte();
    void decodeAdvancesReader();
    void accessors();
    void setReplacesAppendsAndDetaches();
    void equality();
};

void TstAmf0::canonical_data() {
    // Bytes an encoder must produce for a value, and the value they decode to.
    QTest::addColumn<Value>("value");
    QTest::addColumn<QByteArray>("bytes");

    QTest::newRow("number 0") << num(0) << table({{0x00, 0, 0, 0, 0, 0, 0, 0, 0}});
    QTest::newRow("number 4071") << num(4071) << table({{0x00, 0x40, 0xAF, 0xCE, 0, 0, 0, 0, 0}});
    QTest::newRow("number -2000") << num(-2000) << table({{0x00, 0xC0, 0x9F, 0x40, 0, 0, 0, 0, 0}});
    QTest::newRow("number nan") << num(std::numeric_limits<double>::quiet_NaN())
                                << table({{0x00, 0x7F, 0xF8, 0, 0, 0, 0, 0, 0}});
    QTest::newRow("boolean true") << Value::boolean(true) << table({{0x01, 0x01}});
    QTest::newRow("boolean false") << Value::boolean(false) << table({{0x01, 0x00}});
    QTest::newRow("string") << str("live") << table({{{0x02, 0x00, 0x04}, "live"}});
    QTest::newRow("string empty") << str("") << table({{0x02, 0x00, 0x00}});
    QTest::newRow("null") << Value::null() << table({{0x05}});
    QTest::newRow("default is null") << Value() << table({{0x05}});
    QTest::newRow("undefined") << Value::undefined() << table({{0x06}});
    QTest::newRow("object") << Value::object({{"level", str("status")}, {"n", num(1)}})
                            << table({
                                   {0x03},                               // Object
                                   {{0x00, 0x05}, "level"},              // name "level"
                                   {{0x02, 0x00, 0x06}, "status"},       // String "status"
                                   {{0x00, 0x01}, "n"},                  // name "n"
                                   {0x00, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0}, // Number 1
                                   {0x00, 0x00, 0x09},                   // object end
                               });
    QTest::newRow("object empty") << Value::object() << table({{0x03, 0x00, 0x00, 0x09}});
    QTest::newRow("object empty name before a value is a property")
        << Value::object({{"", Value::null()}})
        << table({
               {0x03},             // Object
               {0x00, 0x00},       // name ""
               {0x05},             // Null (not 0x09)
               {0x00, 0x00, 0x09}, // object end
           });
    QTest::newRow("ecma array") << Value::ecmaArray(
                                       {{"a", Value::boolean(true)}, {"b", Value::null()}})
                                << table({
                                       {0x08, 0x00, 0x00, 0x00, 0x02}, // ECMA array, count 2
                                       {{0x00, 0x01}, "a"},            // name "a"
                                       {0x01, 0x01},                   // Boolean true
                                       {{0x00, 0x01}, "b"},            // name "b"
                                       {0x05},                         // Null
                                       {0x00, 0x00, 0x09},             // object end
                                   });
    QTest::newRow("ecma array empty")
        << Value::ecmaArray() << table({{0x08, 0, 0, 0, 0, 0x00, 0x00, 0x09}});
    QTest::newRow("strict array mixed")
        << Value::strictArray({num(1), str("a"), Value::null()})
        << table({
               {0x0A, 0x00, 0x00, 0x00, 0x03},       // Strict array, count 3
               {0x00, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0}, // Number 1
               {{0x02, 0x00, 0x01}, "a"},            // String "a"
               {0x05},                               // Null
           });
    QTest::newRow("strict array count equal to the bytes left")
        << Value::strictArray({Value::null(), Value::undefined(), Value::null()})
        << table({{0x0A, 0x00, 0x00, 0x00, 0x03, 0x05, 0x06, 0x05}}); // 3 one-byte items
    QTest::newRow("strict array nested")
        << Value::strictArray({Value::boolean(false), Value::strictArray({Value::undefined()})})
        << table({
               {0x0A, 0x00, 0x00, 0x00, 0x02}, // count 2
               {0x01, 0x00},                   // Boolean false
               {0x0A, 0x00, 0x00, 0x00, 0x01}, // count 1
               {0x06},                         // Undefined
           });
    QTest::newRow("strict array empty")
        << Value::strictArray() << table({{0x0A, 0x00, 0x00, 0x00, 0x00}});
    QTest::newRow("date") << Value::date(1700000000000.0)
                          << table({
                                 {0x0B},                                     // Date
                                 {0x42, 0x78, 0xBC, 0xFE, 0x56, 0x80, 0, 0}, // 1700000000000 ms
                                 {0x00, 0x00},                               // time zone
                             });
    QTest::newRow("nested objects in ecma array")
        << Value::ecmaArray({{"o", Value::object({{"s", str("x")}})}})
        << table({
               {0x08, 0x00, 0x00, 0x00, 0x01}, // ECMA array, count 1
               {{0x00, 0x01}, "o"},            // name "o"
               {0x03},                         //   Object
               {{0x00, 0x01}, "s"},            //   name "s"
               {{0x02, 0x00, 0x01}, "x"},      //   String "x"
               {0x00, 0x00, 0x09},             //   object end
               {0x00, 0x00, 0x09},             // object end
           });
}

void TstAmf0::canonical() {
    QFETCH(Value, value);
    QFETCH(QByteArray, bytes);
    std::vector<std::uint8_t> out;
    ByteWriter w(out);
    amf0::encode(w, value);
    QCOMPARE(toQ(out).toHex(' '), bytes.toHex(' '));

    auto decoded = amf0::decodeAll(span(bytes));
    QVERIFY2(decoded.has_value(), decoded ? "" : decoded.error().message().c_str());
    QCOMPARE(decoded->size(), std::size_t{1});
    VERIFY_VALUE_EQ((*decoded)[0], value);
}

void TstAmf0::decodeOnly_data() {
    // Inputs real encoders send that Stagecast would encode differently.
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<Value>("expected");

    QTest::newRow("boolean nonzero byte is true") << table({{0x01, 0x7F}}) << Value::boolean(true);
    QTest::newRow("long string with short content")
        << table({{{0x0C, 0x00, 0x00, 0x00, 0x03}, "abc"}}) // u32 length 3
        << str("abc");
    QTest::newRow("xml document as string")
        << table({{{0x0F, 0x00, 0x00, 0x00, 0x08}, "<a>b</a>"}}) // XML, u32 length 8
        << str("<a>b</a>");
    QTest::newRow("unsupported marker as undefined") << table({{0x0D}}) << Value::undefined();
    QTest::newRow("typed object decodes as object")
        << table({
               {0x10},                               // Typed object
               {{0x00, 0x05}, "Point"},              // class name "Point" (skipped)
               {{0x00, 0x01}, "x"},                  // name "x"
               {0x00, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0}, // Number 1
               {0x00, 0x00, 0x09},                   // object end
           })
        << Value::object({{"x", num(1)}});
    QTest::newRow("ecma array without end marker")
        << table({
               {0x08, 0x00, 0x00, 0x00, 0x01},       // ECMA array, count 1
               {{0x00, 0x08}, "duration"},           // name "duration"
               {0x00, 0x40, 0x24, 0, 0, 0, 0, 0, 0}, // Number 10, then data ends
           })
        << Value::ecmaArray({{"duration", num(10)}});
    QTest::newRow("ecma array with stale count 0")
        << table({
               {0x08, 0x00, 0x00, 0x00, 0x00}, // ECMA array, count 0 (wrong: 1 follows)
               {{0x00, 0x01}, "k"},            // name "k"
               {0x05},                         // Null
               {0x00, 0x00, 0x09},             // object end
           })
        << Value::ecmaArray({{"k", Value::null()}});
    QTest::newRow("date with a time zone")
        << table({{0x0B, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xC4}}) // Date 0, zone -60 (ignored)
        << Value::date(0);
}

void TstAmf0::decodeOnly() {
    QFETCH(QByteArray, bytes);
    QFETCH(Value, expected);
    auto result = amf0::decodeAll(span(bytes));
    QVERIFY2(result.has_value(), result ? "" : result.error().message().c_str());
    QCOMPARE(result->size(), std::size_t{1});
    VERIFY_VALUE_EQ((*result)[0], expected);
    // What Stagecast writes instead still decodes to the same value.
    auto again = amf0::decodeAll(amf0::encodeAll(*result));
    QVERIFY(again.has_value());
    VERIFY_VALUE_EQ((*again)[0], expected);
}

void TstAmf0::longStringEncoding_data() {
    QTest::addColumn<int>("length");
    QTest::addColumn<int>("marker");
    QTest::addColumn<int>("headerSize");

    QTest::newRow("65535 bytes stay a short string") << 65535 << 0x02 << 3;
    QTest::newRow("65536 bytes become a long string") << 65536 << 0x0C << 5;
    QTest::newRow("70000 bytes become a long string") << 70000 << 0x0C << 5;
}

void TstAmf0::longStringEncoding() {
    QFETCH(int, length);
    QFETCH(int, marker);
    QFETCH(int, headerSize);
    const Value v = Value::string(std::string(static_cast<std::size_t>(length), 'x'));
    const Value values[] = {v};
    const auto out = amf0::encodeAll(values);
    QCOMPARE(out.size(), static_cast<std::size_t>(length + headerSize));
    QCOMPARE(int{out[0]}, marker);
    std::uint32_t declared = 0;
    for (int i = 1; i < headerSize; ++i) {
        declared = (declared << 8) | out[static_cast<std::size_t>(i)];
    }
    QCOMPARE(declared, static_cast<std::uint32_t>(length));
    auto back = amf0::decodeAll(out);
    QVERIFY(back.has_value());
    QCOMPARE(back->size(), std::size_t{1});
    QVERIFY((*back)[0] == v);
}

void TstAmf0::malformed_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("fragment");

    QTest::newRow("truncated string")
        << table({{{0x02, 0x00, 0x0A}, "live"}}) // String claims 10 bytes, 4 follow
        << "amf0: string at offset 0 declares 10 bytes but only 4 remain";
    QTest::newRow("truncated string length")
        << table({{0x02, 0x00}}) << "amf0: string at offset 0 runs past end of data";
    QTest::newRow("truncated long string")
        << table({{{0x0C, 0x00, 0x01, 0x00, 0x00}, "abc"}}) << "long string at offset 0 declares";
    QTest::newRow("truncated number")
        << table({{0x00, 0x3F, 0xF0}}) << "amf0: number at offset 0 runs past end of data";
    QTest::newRow("truncated boolean")
        << table({{0x01}}) << "amf0: boolean at offset 0 runs past end of data";
    QTest::newRow("truncated date") << table({{0x0B, 0, 0, 0, 0, 0, 0, 0, 0, 0x00}})
                                    << "amf0: date at offset 0 runs past end of data";
    QTest::newRow("bad marker 0x42")
        << table({{0x05, 0x42}}) << "amf0: unknown type marker 0x42 at offset 1";
    QTest::newRow("nesting depth 33")
        << nestedObjects(33) << "amf0: nesting deeper than 32 levels at offset 128";
    QTest::newRow("strict array count 0xFFFFFFFF with 3 bytes")
        << table({{0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x05, 0x05, 0x05}})
        << "amf0: strict array at offset 0 declares 4294967295 items but only 3 bytes remain";
    QTest::newRow("strict array count one above the bytes left")
        << table({{0x0A, 0x00, 0x00, 0x00, 0x04, 0x05, 0x06, 0x05}})
        << "amf0: strict array at offset 0 declares 4 items but only 3 bytes remain";
    QTest::newRow("strict array truncated item")
        << table({{0x0A, 0x00, 0x00, 0x00, 0x02, 0x05, 0x00, 0x3F}})
        << "amf0: number at offset 6 runs past end of data";
    QTest::newRow("AMF3 marker") << table({{0x11, 0x06, 0x01}})
                                 << "amf0: AMF3 values are not supported (marker 0x11 at offset 0";
    QTest::newRow("reference") << table({{0x07, 0x00, 0x01}})
                               << "amf0: reference (marker 0x07) at offset 0 is unsupported";
    QTest::newRow("movie clip reserved")
        << table({{0x04}}) << "amf0: reserved marker 0x04 at offset 0";
    QTest::newRow("record set reserved")
        << table({{0x0E}}) << "amf0: reserved marker 0x0E at offset 0";
    QTest::newRow("object end at top level")
        << table({{0x09}}) << "amf0: object-end marker 0x09 at offset 0";
    QTest::newRow("object missing end marker")
        << table({{0x03}, {{0x00, 0x01}, "a"}, {0x05}}) // Object {a: null, then data ends
        << "amf0: object at offset 0 has no end marker (data ends at offset 5)";
    QTest::newRow("object empty name then end of data")
        << table({{0x03, 0x00, 0x00}}) << "amf0: object at offset 0 has no end marker";
    QTest::newRow("object property name truncated")
        << table({{{0x03, 0x00, 0x05}, "ab"}})
        << "amf0: property name at offset 1 declares 5 bytes but only 2 remain";
    QTest::newRow("object property without value")
        << table({{{0x03, 0x00, 0x01}, "a"}}) << "amf0: value marker at offset 4 runs past end";
    QTest::newRow("typed object class name truncated")
        << table({{{0x10, 0x00, 0x09}, "Poi"}})
        << "amf0: typed object class name at offset 0 runs past end of data";
    QTest::newRow("ecma array count truncated")
        << table({{0x08, 0x00, 0x00}}) << "amf0: ECMA array at offset 0 runs past end of data";
    QTest::newRow("ecma array name length truncated")
        << table({{0x08, 0, 0, 0, 1, 0x00}}) << "amf0: ECMA array at offset 0 has no end marker";
    QTest::newRow("ecma array inside object keeps object strict")
        << table({{{0x03, 0x00, 0x01}, "e"}, {0x08, 0, 0, 0, 0}}) // {e: ECMA array, data ends
        << "amf0: object at offset 0 has no end marker (data ends at offset 9)";
    QTest::newRow("error after a good value names its offset")
        << table({{0x05, 0x05, 0x02, 0x00, 0x09}})
        << "amf0: string at offset 2 declares 9 bytes but only 0 remain";
}

void TstAmf0::malformed() {
    QFETCH(QByteArray, bytes);
    QFETCH(QString, fragment);
    auto result = amf0::decodeAll(span(bytes));
    QVERIFY(!result.has_value());
    const QString message = QString::fromStdString(result.error().message());
    QVERIFY2(message.contains(fragment), qPrintable("message was: " + message));
}

void TstAmf0::depthLimit() {
    // 32 levels are the most allowed (kMaxDepth); 33 must fail, also inside arrays.
    QCOMPARE(amf0::kMaxDepth, 32);
    const QByteArray ok = nestedObjects(32);
    auto decoded = amf0::decodeAll(span(ok));
    QVERIFY2(decoded.has_value(), decoded ? "" : decoded.error().message().c_str());
    int depth = 0;
    for (const Value* v = &(*decoded)[0]; v; v = v->get("a")) {
        QCOMPARE(v->type(), Type::Object);
        ++depth;
    }
    QCOMPARE(depth, 32);

    QVERIFY(!amf0::decodeAll(span(nestedObjects(33))).has_value());

    QByteArray arrays;
    for (int i = 0; i < 33; ++i) {
        arrays.append(table({{0x0A, 0x00, 0x00, 0x00, 0x01}})); // Strict array, count 1
    }
    arrays.append(table({{0x05}})); // Null
    auto deepArrays = amf0::decodeAll(span(arrays));
    QVERIFY(!deepArrays.has_value());
    QVERIFY(QString::fromStdString(deepArrays.error().message()).contains("nesting deeper"));
    // The same with one level less is fine.
    auto shallower = amf0::decodeAll(span(arrays.mid(5)));
    QVERIFY(shallower.has_value());
}

void TstAmf0::decodeAllObsMetadata() {
    auto values = amf0::decodeAll(span(kObsMetadata));
    QVERIFY2(values.has_value(), values ? "" : values.error().message().c_str());
    QCOMPARE(values->size(), std::size_t{3});
    QCOMPARE((*values)[0].asString(), std::optional<std::string_view>("@setDataFrame"));
    QCOMPARE((*values)[1].asString(), std::optional<std::string_view>("onMetaData"));
    const Value& meta = (*values)[2];
    QCOMPARE(meta.type(), Type::EcmaArray);
    QCOMPARE(meta.properties().size(), std::size_t{5});
    QCOMPARE(meta.properties()[0].first, std::string("duration"));
    QCOMPARE(meta.properties()[4].first, std::string("encoder"));
    QCOMPARE(meta.get("duration")->asNumber(), std::optional<double>(0));
    QCOMPARE(meta.get("width")->asNumber(), std::optional<double>(1920));
    QCOMPARE(meta.get("height")->asNumber(), std::optional<double>(1080));
    QCOMPARE(meta.get("videocodecid")->asNumber(), std::optional<double>(7));
    QCOMPARE(meta.get("encoder")->asString(),
             std::optional<std::string_view>("obs-output module (libobs version 30.0.0)"));
    QVERIFY(meta.get("framerate") == nullptr);

    // Re-encoding the decoded values gives back the same bytes.
    QCOMPARE(toQ(amf0::encodeAll(*values)).toHex(' '), kObsMetadata.toHex(' '));
}

void TstAmf0::decodeAllEmpty() {
    auto values = amf0::decodeAll({});
    QVERIFY(values.has_value());
    QVERIFY(values->empty());
    QVERIFY(amf0::encodeAll({}).empty());
}

void TstAmf0::splitAtEveryByte_data() {
    // Payloads whose values are all self-delimiting (no trailing ECMA array); `ends` lists
    // the offsets where a value ends.
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QList<int>>("ends");

    QTest::newRow("object with nested values")
        << table({
               {0x03},                               // Object
               {{0x00, 0x01}, "s"},                  // name "s"
               {{0x02, 0x00, 0x02}, "hi"},           // String "hi"
               {{0x00, 0x01}, "a"},                  // name "a"
               {0x0A, 0x00, 0x00, 0x00, 0x02},       // Strict array, count 2
               {0x01, 0x01},                         //   Boolean true
               {0x0B, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, //   Date 0
               {{0x00, 0x01}, "e"},                  // name "e"
               {0x08, 0, 0, 0, 0, 0x00, 0x00, 0x09}, // empty ECMA array, closed
               {0x00, 0x00, 0x09},                   // object end
           })
        << QList<int>{44};
    QTest::newRow("sequence of scalars")
        << table({
               {{0x02, 0x00, 0x04}, "play"},            // String "play" (7 bytes)
               {0x00, 0x40, 0x10, 0, 0, 0, 0, 0, 0},    // Number 4 (ends at 16)
               {0x05},                                  // Null (ends at 17)
               {{0x0C, 0x00, 0x00, 0x00, 0x02}, "ab"},  // Long string (ends at 24)
               {0x06},                                  // Undefined (ends at 25)
               {{0x0F, 0x00, 0x00, 0x00, 0x03}, "<x>"}, // XML (ends at 33)
           })
        << QList<int>{7, 16, 17, 24, 25, 33};
    QTest::newRow("typed object") << table({
                                         {{0x10, 0x00, 0x01}, "C"}, // Typed object, class "C"
                                         {{0x00, 0x01}, "k"},       // name "k"
                                         {0x06},                    // Undefined
                                         {0x00, 0x00, 0x09},        // object end
                                     })
                                  << QList<int>{11};
}

void TstAmf0::splitAtEveryByte() {
    QFETCH(QByteArray, bytes);
    QFETCH(QList<int>, ends);
    QCOMPARE(ends.last(), bytes.size());
    auto full = amf0::decodeAll(span(bytes));
    QVERIFY2(full.has_value(), full ? "" : full.error().message().c_str());
    QCOMPARE(full->size(), static_cast<std::size_t>(ends.size()));

    // A prefix decodes exactly when it ends on a value boundary, and then to the values
    // before it; any other cut must be reported, never guessed.
    for (int cut = 1; cut < bytes.size(); ++cut) {
        auto part = amf0::decodeAll(span(bytes.left(cut)));
        const auto complete = static_cast<std::size_t>(ends.indexOf(cut) + 1);
        if (complete == 0) {
            QVERIFY2(!part.has_value(), qPrintable(QString("cut at %1 decoded").arg(cut)));
            continue;
        }
        QVERIFY2(part.has_value(), qPrintable(QString("cut at %1 failed").arg(cut)));
        QCOMPARE(part->size(), complete);
        for (std::size_t i = 0; i < complete; ++i) {
            VERIFY_VALUE_EQ((*part)[i], (*full)[i]);
        }
    }
}

void TstAmf0::ecmaArrayMissingEndAtEveryByte() {
    // A trailing ECMA array may lose its end marker, so cuts at property boundaries decode
    // to the properties so far; every other cut is an error.
    const QByteArray bytes = table({
        {0x08, 0x00, 0x00, 0x00, 0x02},       // ECMA array, count 2 (ends at 5)
        {{0x00, 0x01}, "w"},                  // name "w"
        {0x00, 0x40, 0x9E, 0, 0, 0, 0, 0, 0}, // Number 1920 (property ends at 17)
        {{0x00, 0x01}, "c"},                  // name "c"
        {{0x02, 0x00, 0x03}, "avc"},          // String "avc" (property ends at 26)
        {0x00, 0x00, 0x09},                   // object end (28 = empty name, 29 = end)
    });
    const Value w = Value::ecmaArray({{"w", num(1920)}});
    const Value both = Value::ecmaArray({{"w", num(1920)}, {"c", str("avc")}});
    for (int cut = 1; cut <= bytes.size(); ++cut) {
        auto part = amf0::decodeAll(span(bytes.left(cut)));
        if (cut == 5) {
            QVERIFY(part.has_value());
            VERIFY_VALUE_EQ((*part)[0], Value::ecmaArray());
        } else if (cut == 17) {
            QVERIFY(part.has_value());
            VERIFY_VALUE_EQ((*part)[0], w);
        } else if (cut == 26 || cut == 28 || cut == 29) {
            QVERIFY2(part.has_value(), qPrintable(QString("cut at %1 failed").arg(cut)));
            QCOMPARE(part->size(), std::size_t{1});
            VERIFY_VALUE_EQ((*part)[0], both);
        } else {
            QVERIFY2(!part.has_value(), qPrintable(QString("cut at %1 decoded").arg(cut)));
        }
    }
}

void TstAmf0::decodeAdvancesReader() {
    const QByteArray bytes = table({
        {0x01, 0x01},              // Boolean true (2 bytes)
        {{0x02, 0x00, 0x01}, "x"}, // String "x" (4 bytes)
        {0x42},                    // garbage
    });
    ByteReader r(span(bytes));
    auto a = amf0::decode(r);
    QVERIFY(a.has_value());
    QCOMPARE(r.position(), std::size_t{2});
    auto b = amf0::decode(r);
    QVERIFY(b.has_value());
    QCOMPARE(b->asString(), std::optional<std::string_view>("x"));
    QCOMPARE(r.position(), std::size_t{6});
    auto c = amf0::decode(r);
    QVERIFY(!c.has_value());
    QVERIFY(QString::fromStdString(c.error().message()).contains("0x42 at offset 6"));
    ByteReader empty(std::span<const std::uint8_t>{});
    auto d = amf0::decode(empty);
    QVERIFY(!d.has_value());
    QVERIFY(QString::fromStdString(d.error().message()).contains("runs past end of data"));
}

void TstAmf0::accessors() {
    const Value n = num(2.5);
    QCOMPARE(n.type(), Type::Number);
    QCOMPARE(n.asNumber(), std::optional<double>(2.5));
    QVERIFY(!n.asBoolean());
    QVERIFY(!n.asString());
    QVERIFY(n.properties().empty());
    QVERIFY(n.items().empty());
    QVERIFY(n.get("x") == nullptr);

    const Value b = Value::boolean(true);
    QCOMPARE(b.asBoolean(), std::optional<bool>(true));
    QVERIFY(!b.asNumber());

    const Value s = str("abc");
    QCOMPARE(s.asString(), std::optional<std::string_view>("abc"));
    QVERIFY(!s.asNumber());

    // A date reads as its milliseconds through asNumber (the API has no date accessor).
    const Value d = Value::date(1234.0, 5);
    QCOMPARE(d.type(), Type::Date);
    QCOMPARE(d.asNumber(), std::optional<double>(1234.0));

    QCOMPARE(Value().type(), Type::Null);
    QCOMPARE(Value::null().type(), Type::Null);
    QCOMPARE(Value::undefined().type(), Type::Undefined);

    const Value a = Value::strictArray({num(1), num(2)});
    QCOMPARE(a.items().size(), std::size_t{2});
    QVERIFY(a.properties().empty());
    QVERIFY(a.get("0") == nullptr);

    const Value e = Value::ecmaArray({{"k", num(1)}});
    QCOMPARE(e.get("k")->asNumber(), std::optional<double>(1));
    QVERIFY(e.items().empty());
}

void TstAmf0::setReplacesAppendsAndDetaches() {
    Value o = Value::object({{"a", num(1)}, {"b", num(2)}});
    const Value copy = o;
    o.set("a", str("x")); // replaces in place, keeps the order
    o.set("c", num(3));   // appends
    QCOMPARE(o.properties().size(), std::size_t{3});
    QCOMPARE(o.properties()[0].first, std::string("a"));
    QCOMPARE(o.get("a")->asString(), std::optional<std::string_view>("x"));
    QCOMPARE(o.properties()[2].first, std::string("c"));
    // The copy taken before is unaffected.
    QCOMPARE(copy.properties().size(), std::size_t{2});
    QCOMPARE(copy.get("a")->asNumber(), std::optional<double>(1));

    Value e = Value::ecmaArray();
    e.set("k", Value::boolean(true));
    QCOMPARE(e.get("k")->asBoolean(), std::optional<bool>(true));

    // set on a non-object is ignored.
    Value n = num(1);
    n.set("k", num(2));
    QVERIFY(n.properties().empty());
    QCOMPARE(n.asNumber(), std::optional<double>(1));
}

void TstAmf0::equality() {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    QVERIFY(num(nan) == num(nan));
    QVERIFY(!(num(nan) == num(0)));
    QVERIFY(num(0) == num(-0.0));
    QVERIFY(!(num(1) == str("1")));
    QVERIFY(Value::null() == Value());
    QVERIFY(!(Value::null() == Value::undefined()));
    QVERIFY(!(Value::object() == Value::ecmaArray()));
    QVERIFY(Value::object({{"a", num(1)}}) == Value::object({{"a", num(1)}}));
    // Order matters: encoders expect properties in the order written.
    QVERIFY(!(Value::object({{"a", num(1)}, {"b", num(2)}}) ==
              Value::object({{"b", num(2)}, {"a", num(1)}})));
    QVERIFY(!(Value::strictArray({num(1)}) == Value::strictArray({num(1), num(1)})));
    QVERIFY(!(Value::date(1) == num(1)));
    QVERIFY(Value::date(1) == Value::date(1));
    QVERIFY(!(Value::date(1) == Value::date(2)));
    QVERIFY(!(Value::boolean(true) == Value::boolean(false)));
}

QTEST_APPLESS_MAIN(TstAmf0)
#include "tst_Amf0.moc"
