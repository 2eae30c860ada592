#pragma once
/// AMF0 values (Adobe "Action Message Format -- AMF 0", sections 2.2-2.13), decode and encode.
/// Sans-I/O and thread-agnostic. Decoding is bounded: nesting depth at most kMaxDepth, and no
/// allocation larger than the input itself.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/ByteReader.h"
#include "base/ByteWriter.h"
#include "base/Result.h"

namespace stagecast::protocol::amf0 {

inline constexpr int kMaxDepth = 32;

enum class Type : std::uint8_t {
    Number = 1,
    Boolean,
    String, // short and long strings decode to String; encode picks the marker by length
    Object,
    Null,
    Undefined,
    EcmaArray,
    StrictArray,
    Date,
};

class Value;
/// Ordered properties: encoders expect the order they were written in.
using Properties = std::vector<std::pair<std::string, Value>>;

class Value {
public:
    Value(); // Null
    static Value number(double v);
    static Value boolean(bool v);
    static Value string(std::string v);
    static Value object(Properties props = {});
    static Value null();
    static Value undefined();
    static Value ecmaArray(Properties props = {});
    static Value strictArray(std::vector<Value> items = {});
    static Value date(double msSinceEpoch, std::int16_t timezone = 0);

    Type type() const { return type_; }
    std::optional<double> asNumber() const;
    std::optional<bool> asBoolean() const;
    /// String value; nullopt for any other type.
    std::optional<std::string_view> asString() const;
    /// Properties of an Object or EcmaArray; empty for other types.
    const Properties& properties() const;
    const std::vector<Value>& items() const;
    /// Property lookup by name in an Object or EcmaArray; nullptr if absent or not an object.
    const Value* get(std::string_view key) const;
    /// Appends or replaces a property (Object/EcmaArray only).
    void set(std::string key, Value v);

    bool operator==(const Value& other) const;

private:
    Type type_ = Type::Null;
    double number_ = 0; // Number, Date (ms)
    bool boolean_ = false;
    std::int16_t timezone_ = 0;
    std::string string_;
    std::shared_ptr<Properties> props_;         // Object, EcmaArray
    std::shared_ptr<std::vector<Value>> items_; // StrictArray
};

/// Decodes one value at the reader's position. On error the message names the marker or the
/// offset ("amf0: string at offset 12 runs past end of data").
base::Result<Value> decode(base::ByteReader& reader);
/// Decodes values until the data ends (a command or data message body).
base::Result<std::vector<Value>> decodeAll(std::span<const std::uint8_t> data);

void encode(base::ByteWriter& writer, const Value& value);
std::vector<std::uint8_t> encodeAll(std::span<const Value> values);

} // namespace stagecast::protocol::amf0
