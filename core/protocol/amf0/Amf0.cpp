#include "Amf0.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace stagecast::protocol::amf0 {

namespace {

// Type markers, AMF0 specification section 2.1.
namespace marker {
constexpr std::uint8_t kNumber = 0x00;
constexpr std::uint8_t kBoolean = 0x01;
constexpr std::uint8_t kString = 0x02;
constexpr std::uint8_t kObject = 0x03;
constexpr std::uint8_t kMovieClip = 0x04;
constexpr std::uint8_t kNull = 0x05;
constexpr std::uint8_t kUndefined = 0x06;
constexpr std::uint8_t kReference = 0x07;
constexpr std::uint8_t kEcmaArray = 0x08;
constexpr std::uint8_t kObjectEnd = 0x09;
constexpr std::uint8_t kStrictArray = 0x0A;
constexpr std::uint8_t kDate = 0x0B;
constexpr std::uint8_t kLongString = 0x0C;
constexpr std::uint8_t kUnsupported = 0x0D;
constexpr std::uint8_t kRecordSet = 0x0E;
constexpr std::uint8_t kXmlDocument = 0x0F;
constexpr std::uint8_t kTypedObject = 0x10;
constexpr std::uint8_t kAvmPlus = 0x11;
} // namespace marker

constexpr std::size_t kMaxShortString = std::numeric_limits<std::uint16_t>::max();

const Properties& emptyProperties() {
    static const Properties empty;
    return empty;
}

const std::vector<Value>& emptyItems() {
    static const std::vector<Value> empty;
    return empty;
}

std::string hex(std::uint8_t v) {
    static constexpr char kDigits[] = "0123456789ABCDEF";
    std::string s = "0x";
    s += kDigits[v >> 4];
    s += kDigits[v & 0x0F];
    return s;
}

std::string at(std::size_t offset) {
    return " at offset " + std::to_string(offset);
}

/// Recursive-descent decoder over one reader. `depth` counts the containers (object, ECMA
/// array, strict array) enclosing the value being decoded.
class Decoder {
public:
    explicit Decoder(base::ByteReader& reader) : r_(reader) {}

    base::Result<Value> value(int depth) {
        const std::size_t start = r_.position();
        auto m = r_.u8();
        if (!m) {
            return base::fail("amf0: value marker" + at(start) + " runs past end of data");
        }
        switch (*m) {
        case marker::kNumber: {
            auto v = r_.f64be();
            if (!v) {
                return base::fail("amf0: number" + at(start) + " runs past end of data");
            }
            return Value::number(*v);
        }
        case marker::kBoolean: {
            auto v = r_.u8();
            if (!v) {
                return base::fail("amf0: boolean" + at(start) + " runs past end of data");
            }
            return Value::boolean(*v != 0);
        }
        case marker::kString:
            return shortString(start, "string");
        case marker::kLongString:
            return longString(start, "long string");
        case marker::kXmlDocument: // section 2.17: a long UTF-8 string; kept as its text
            return longString(start, "XML document");
        case marker::kObject:
            return object(start, depth);
        case marker::kTypedObject:
            return typedObject(start, depth);
        case marker::kNull:
            return Value::null();
        case marker::kUndefined:
        case marker::kUnsupported: // section 2.15: no payload, means "no usable value"
            return Value::undefined();
        case marker::kEcmaArray:
            return ecmaArray(start, depth);
        case marker::kStrictArray:
            return strictArray(start, depth);
        case marker::kDate:
            return date(start);
        case marker::kReference:
            return base::fail("amf0: reference (marker 0x07)" + at(start) +
                              " is unsupported; encoders must not send complex object references");
        case marker::kAvmPlus:
            return base::fail("amf0: AMF3 values are not supported (marker 0x11" + at(start) +
                              "), only AMF0 encoding is allowed");
        case marker::kObjectEnd:
            return base::fail("amf0: object-end marker 0x09" + at(start) +
                              " outside an object or ECMA array");
        case marker::kMovieClip:
        case marker::kRecordSet:
            return base::fail("amf0: reserved marker " + hex(*m) + at(start) + " is not supported");
        default:
            return base::fail("amf0: unknown type marker " + hex(*m) + at(start) +
                              ", allowed 0x00-0x03, 0x05, 0x06, 0x08, 0x0A-0x0D, 0x0F, 0x10");
        }
    }

private:
    base::Result<std::string> utf8(std::size_t length, std::size_t start, const char* what) {
        auto s = r_.string(length);
        if (!s) {
            return base::fail(std::string("amf0: ") + what + at(start) + " declares " +
                              std::to_string(length) + " bytes but only " +
                              std::to_string(r_.remaining()) + " remain (runs past end of data)");
        }
        return std::string(*s);
    }

    base::Result<Value> shortString(std::size_t start, const char* what) {
        auto len = r_.u16be();
        if (!len) {
            return base::fail(std::string("amf0: ") + what + at(start) +
                              " runs past end of data (length field truncated)");
        }
        return utf8(*len, start, what).map(Value::string);
    }

    base::Result<Value> longString(std::size_t start, const char* what) {
        auto len = r_.u32be();
        if (!len) {
            return base::fail(std::string("amf0: ") + what + at(start) +
                              " runs past end of data (length field truncated)");
        }
        return utf8(*len, start, what).map(Value::string);
    }

    base::Status enter(std::size_t start, int depth) const {
        if (depth >= kMaxDepth) {
            return base::fail("amf0: nesting deeper than " + std::to_string(kMaxDepth) + " levels" +
                              at(start));
        }
        return {};
    }

    /// Reads name/value pairs up to the empty name + object-end marker (sections 2.5, 2.10).
    /// `lenientEnd` accepts data that stops where a name or the end marker would begin.
    base::Result<Properties> properties(std::size_t start, int depth, bool lenientEnd,
                                        const char* what) {
        Properties props;
        for (;;) {
            if (lenientEnd && r_.empty()) {
                return props;
            }
            const std::size_t nameAt = r_.position();
            auto len = r_.u16be();
            if (!len) {
                return base::fail(std::string("amf0: ") + what + at(start) +
                                  " has no end marker (data ends at offset " +
                                  std::to_string(nameAt) + ")");
            }
            if (*len == 0) {
                if (r_.empty()) {
                    if (lenientEnd) {
                        return props;
                    }
                    return base::fail(std::string("amf0: ") + what + at(start) +
                                      " has no end marker (data ends at offset " +
                                      std::to_string(r_.position()) + ")");
                }
                if (r_.rest()[0] == marker::kObjectEnd) {
                    r_.skip(1);
                    return props;
                }
            }
            auto name = utf8(*len, nameAt, "property name");
            if (!name) {
                return base::fail(name.error());
            }
            auto v = value(depth + 1);
            if (!v) {
                return base::fail(v.error());
            }
            props.emplace_back(std::move(*name), std::move(*v));
        }
    }

    base::Result<Value> object(std::size_t start, int depth) {
        if (auto ok = enter(start, depth); !ok) {
            return base::fail(ok.error());
        }
        return properties(start, depth, false, "object").map([](Properties p) {
            return Value::object(std::move(p));
        });
    }

    // Section 2.18: class name, then the properties of an anonymous object.
    base::Result<Value> typedObject(std::size_t start, int depth) {
        if (auto ok = enter(start, depth); !ok) {
            return base::fail(ok.error());
        }
        auto len = r_.u16be();
        if (!len || !r_.skip(*len)) {
            return base::fail("amf0: typed object class name" + at(start) +
                              " runs past end of data");
        }
        return properties(start, depth, false, "typed object").map([](Properties p) {
            return Value::object(std::move(p));
        });
    }

    // Section 2.10. The count is only a hint (encoders write 0 or a stale value), and some
    // encoders omit the end marker when the array is the last thing in the message.
    base::Result<Value> ecmaArray(std::size_t start, int depth) {
        if (auto ok = enter(start, depth); !ok) {
            return base::fail(ok.error());
        }
        if (!r_.u32be()) {
            return base::fail("amf0: ECMA array" + at(start) +
                              " runs past end of data (count field truncated)");
        }
        return properties(start, depth, true, "ECMA array").map([](Properties p) {
            return Value::ecmaArray(std::move(p));
        });
    }

    // Section 2.12. Every item takes at least one byte, so a count above the bytes left is a
    // lie and is rejected before anything is allocated.
    base::Result<Value> strictArray(std::size_t start, int depth) {
        if (auto ok = enter(start, depth); !ok) {
            return base::fail(ok.error());
        }
        auto count = r_.u32be();
        if (!count) {
            return base::fail("amf0: strict array" + at(start) +
                              " runs past end of data (count field truncated)");
        }
        if (*count > r_.remaining()) {
            return base::fail("amf0: strict array" + at(start) + " declares " +
                              std::to_string(*count) + " items but only " +
                              std::to_string(r_.remaining()) + " bytes remain");
        }
        std::vector<Value> items;
        items.reserve(*count);
        for (std::uint32_t i = 0; i < *count; ++i) {
            auto v = value(depth + 1);
            if (!v) {
                return base::fail(v.error());
            }
            items.push_back(std::move(*v));
        }
        return Value::strictArray(std::move(items));
    }

    // Section 2.13: milliseconds since the epoch, then a signed 16-bit time zone (reserved).
    base::Result<Value> date(std::size_t start) {
        auto ms = r_.f64be();
        auto tz = r_.u16be();
        if (!ms || !tz) {
            return base::fail("amf0: date" + at(start) + " runs past end of data");
        }
        // The time zone is reserved ("should be set to 0x0000"); players ignore it, and
        // keeping 0 makes a decoded date re-encode to an equal value.
        return Value::date(*ms);
    }

    base::ByteReader& r_;
};

void writeUtf8Short(base::ByteWriter& w, std::string_view s) {
    // A name longer than a u16 length cannot be expressed; cut it rather than corrupt the
    // stream.
    s = s.substr(0, std::min(s.size(), kMaxShortString));
    w.u16be(static_cast<std::uint16_t>(s.size()));
    w.string(s);
}

void writeProperties(base::ByteWriter& w, const Properties& props) {
    for (const auto& [name, v] : props) {
        writeUtf8Short(w, name);
        encode(w, v);
    }
    w.u16be(0);
    w.u8(marker::kObjectEnd);
}

bool sameNumber(double a, double b) {
    return a == b || (std::isnan(a) && std::isnan(b));
}

} // namespace

Value::Value() = default;

Value Value::number(double v) {
    Value r;
    r.type_ = Type::Number;
    r.number_ = v;
    return r;
}

Value Value::boolean(bool v) {
    Value r;
    r.type_ = Type::Boolean;
    r.boolean_ = v;
    return r;
}

Value Value::string(std::string v) {
    Value r;
    r.type_ = Type::String;
    r.string_ = std::move(v);
    return r;
}

Value Value::object(Properties props) {
    Value r;
    r.type_ = Type::Object;
    r.props_ = std::make_shared<Properties>(std::move(props));
    return r;
}

Value Value::null() {
    return Value();
}

Value Value::undefined() {
    Value r;
    r.type_ = Type::Undefined;
    return r;
}

Value Value::ecmaArray(Properties props) {
    Value r;
    r.type_ = Type::EcmaArray;
    r.props_ = std::make_shared<Properties>(std::move(props));
    return r;
}

Value Value::strictArray(std::vector<Value> items) {
    Value r;
    r.type_ = Type::StrictArray;
    r.items_ = std::make_shared<std::vector<Value>>(std::move(items));
    return r;
}

Value Value::date(double msSinceEpoch, std::int16_t timezone) {
    Value r;
    r.type_ = Type::Date;
    r.number_ = msSinceEpoch;
    r.timezone_ = timezone;
    return r;
}

// A Date answers with its milliseconds: that is the only way to read it through this API.
std::optional<double> Value::asNumber() const {
    if (type_ != Type::Number && type_ != Type::Date) {
        return std::nullopt;
    }
    return number_;
}

std::optional<bool> Value::asBoolean() const {
    if (type_ != Type::Boolean) {
        return std::nullopt;
    }
    return boolean_;
}

std::optional<std::string_view> Value::asString() const {
    if (type_ != Type::String) {
        return std::nullopt;
    }
    return std::string_view(string_);
}

const Properties& Value::properties() const {
    if ((type_ == Type::Object || type_ == Type::EcmaArray) && props_) {
        return *props_;
    }
    return emptyProperties();
}

const std::vector<Value>& Value::items() const {
    if (type_ == Type::StrictArray && items_) {
        return *items_;
    }
    return emptyItems();
}

const Value* Value::get(std::string_view key) const {
    for (const auto& [name, v] : properties()) {
        if (name == key) {
            return &v;
        }
    }
    return nullptr;
}

void Value::set(std::string key, Value v) {
    if (type_ != Type::Object && type_ != Type::EcmaArray) {
        return;
    }
    // Copies share their properties; detach before writing so other copies keep theirs.
    if (!props_) {
        props_ = std::make_shared<Properties>();
    } else if (props_.use_count() > 1) {
        props_ = std::make_shared<Properties>(*props_);
    }
    for (auto& [name, existing] : *props_) {
        if (name == key) {
            existing = std::move(v);
            return;
        }
    }
    props_->emplace_back(std::move(key), std::move(v));
}

// Structural equality; NaN numbers compare equal to each other so that a decoded value
// equals its re-encoded-and-decoded self.
bool Value::operator==(const Value& other) const {
    if (type_ != other.type_) {
        return false;
    }
    switch (type_) {
    case Type::Number:
        return sameNumber(number_, other.number_);
    case Type::Boolean:
        return boolean_ == other.boolean_;
    case Type::String:
        return string_ == other.string_;
    case Type::Object:
    case Type::EcmaArray:
        return properties() == other.properties();
    case Type::StrictArray:
        return items() == other.items();
    case Type::Date:
        // The reserved time zone is not observable through the API nor encoded, so it does
        // not take part in equality.
        return sameNumber(number_, other.number_);
    case Type::Null:
    case Type::Undefined:
        return true;
    }
    return false;
}

base::Result<Value> decode(base::ByteReader& reader) {
    return Decoder(reader).value(0);
}

base::Result<std::vector<Value>> decodeAll(std::span<const std::uint8_t> data) {
    base::ByteReader reader(data);
    std::vector<Value> values;
    while (!reader.empty()) {
        auto v = decode(reader);
        if (!v) {
            return base::fail(v.error());
        }
        values.push_back(std::move(*v));
    }
    return values;
}

void encode(base::ByteWriter& writer, const Value& value) {
    switch (value.type()) {
    case Type::Number:
        writer.u8(marker::kNumber);
        writer.f64be(*value.asNumber());
        return;
    case Type::Boolean:
        writer.u8(marker::kBoolean);
        writer.u8(*value.asBoolean() ? 1 : 0);
        return;
    case Type::String: {
        const std::string_view s = *value.asString();
        if (s.size() > kMaxShortString) {
            writer.u8(marker::kLongString);
            writer.u32be(static_cast<std::uint32_t>(s.size()));
        } else {
            writer.u8(marker::kString);
            writer.u16be(static_cast<std::uint16_t>(s.size()));
        }
        writer.string(s);
        return;
    }
    case Type::Object:
        writer.u8(marker::kObject);
        writeProperties(writer, value.properties());
        return;
    case Type::Null:
        writer.u8(marker::kNull);
        return;
    case Type::Undefined:
        writer.u8(marker::kUndefined);
        return;
    case Type::EcmaArray:
        writer.u8(marker::kEcmaArray);
        writer.u32be(static_cast<std::uint32_t>(value.properties().size()));
        writeProperties(writer, value.properties());
        return;
    case Type::StrictArray:
        writer.u8(marker::kStrictArray);
        writer.u32be(static_cast<std::uint32_t>(value.items().size()));
        for (const auto& item : value.items()) {
            encode(writer, item);
        }
        return;
    case Type::Date:
        writer.u8(marker::kDate);
        // The public Value has no time zone accessor; the field is reserved and must be 0
        // (section 2.13), which is also what decode keeps.
        writer.f64be(*value.asNumber());
        writer.u16be(0);
        return;
    }
}

std::vector<std::uint8_t> encodeAll(std::span<const Value> values) {
    std::vector<std::uint8_t> out;
    base::ByteWriter writer(out);
    for (const auto& v : values) {
        encode(writer, v);
    }
    return out;
}

} // namespace stagecast::protocol::amf0
