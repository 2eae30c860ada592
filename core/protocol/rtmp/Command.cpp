#include "Command.h"

#include <utility>

#include "protocol/rtmp/ChunkWriter.h"

namespace stagecast::protocol::rtmp {

namespace {

using amf0::Value;

constexpr std::uint32_t kCommandChunkStream = static_cast<std::uint32_t>(ChunkStreamId::Command);
constexpr std::uint32_t kDataChunkStream = static_cast<std::uint32_t>(ChunkStreamId::Data);

const char* typeName(amf0::Type t) {
    switch (t) {
    case amf0::Type::Number:
        return "Number";
    case amf0::Type::Boolean:
        return "Boolean";
    case amf0::Type::String:
        return "String";
    case amf0::Type::Object:
        return "Object";
    case amf0::Type::Null:
        return "Null";
    case amf0::Type::Undefined:
        return "Undefined";
    case amf0::Type::EcmaArray:
        return "EcmaArray";
    case amf0::Type::StrictArray:
        return "StrictArray";
    case amf0::Type::Date:
        return "Date";
    }
    return "unknown";
}

Message makeMessage(MessageType type, std::uint32_t chunkStreamId, std::uint32_t streamId,
                    std::vector<std::uint8_t> payload) {
    Message m;
    m.chunkStreamId = chunkStreamId;
    m.header.typeId = static_cast<std::uint8_t>(type);
    m.header.streamId = streamId;
    m.header.timestamp = 0;
    m.header.length = static_cast<std::uint32_t>(payload.size());
    m.payload = std::move(payload);
    return m;
}

Value str(std::string_view s) {
    return Value::string(std::string(s));
}

/// The info object of _result/_error/onStatus (RTMP specification 1.0, section 7.2.1.1).
Value statusInfo(std::string_view level, std::string_view code, std::string_view description) {
    return Value::object(
        {{"level", str(level)}, {"code", str(code)}, {"description", str(description)}});
}

} // namespace

// Section 7.2: name, transaction id, command object, then command-specific arguments.
base::Result<Command> parseCommand(std::span<const std::uint8_t> payload) {
    auto values = amf0::decodeAll(payload);
    if (!values) {
        return base::fail(values.error().withContext("rtmp: malformed command"));
    }
    if (values->empty()) {
        return base::fail("rtmp: command payload is empty, expected a name string");
    }
    Command cmd;
    auto& v = *values;
    auto name = v[0].asString();
    if (!name) {
        return base::fail(std::string("rtmp: command name must be an AMF0 string, got ") +
                          typeName(v[0].type()));
    }
    cmd.name = std::string(*name);
    if (v.size() > 1) {
        // Some encoders send the transaction id as a number only; anything else is a bug in
        // the peer that would make the reply unroutable.
        if (v[1].type() != amf0::Type::Number) {
            return base::fail("rtmp: transaction id of command '" + cmd.name +
                              "' must be an AMF0 number, got " + typeName(v[1].type()));
        }
        cmd.transactionId = *v[1].asNumber();
    }
    if (v.size() > 2) {
        cmd.commandObject = std::move(v[2]);
    }
    if (v.size() > 3) {
        cmd.arguments.assign(std::make_move_iterator(v.begin() + 3),
                             std::make_move_iterator(v.end()));
    }
    return cmd;
}

std::vector<std::uint8_t> encodeCommand(const Command& command) {
    std::vector<std::uint8_t> out;
    base::ByteWriter w(out);
    amf0::encode(w, Value::string(command.name));
    amf0::encode(w, Value::number(command.transactionId));
    amf0::encode(w, command.commandObject);
    for (const auto& arg : command.arguments) {
        amf0::encode(w, arg);
    }
    return out;
}

Message makeCommandMessage(const Command& command, std::uint32_t streamId) {
    return makeMessage(MessageType::CommandAmf0, kCommandChunkStream, streamId,
                       encodeCommand(command));
}

Message makeConnectResult(double transactionId, double objectEncoding) {
    Command c;
    c.name = "_result";
    c.transactionId = transactionId;
    c.commandObject =
        Value::object({{"fmsVer", str("FMS/3,0,1,123")}, {"capabilities", Value::number(31)}});
    Value info = statusInfo("status", "NetConnection.Connect.Success", "Connection succeeded.");
    info.set("objectEncoding", Value::number(objectEncoding));
    c.arguments.push_back(std::move(info));
    return makeCommandMessage(c, 0);
}

Message makeCreateStreamResult(double transactionId, double streamId) {
    Command c;
    c.name = "_result";
    c.transactionId = transactionId;
    c.arguments.push_back(Value::number(streamId));
    return makeCommandMessage(c, 0);
}

Message makeSimpleResult(double transactionId) {
    Command c;
    c.name = "_result";
    c.transactionId = transactionId;
    return makeCommandMessage(c, 0);
}

Message makeCommandError(double transactionId, std::string_view code,
                         std::string_view description) {
    Command c;
    c.name = "_error";
    c.transactionId = transactionId;
    c.arguments.push_back(statusInfo("error", code, description));
    return makeCommandMessage(c, 0);
}

Message makeOnStatus(std::uint32_t streamId, std::string_view level, std::string_view code,
                     std::string_view description, std::string_view details) {
    Command c;
    c.name = "onStatus";
    Value info = statusInfo(level, code, description);
    if (!details.empty()) {
        info.set("details", str(details));
    }
    c.arguments.push_back(std::move(info));
    return makeCommandMessage(c, streamId);
}

Message makeOnFCPublish(std::string_view code, std::string_view description) {
    Command c;
    c.name = "onFCPublish";
    c.arguments.push_back(Value::object({{"code", str(code)}, {"description", str(description)}}));
    return makeCommandMessage(c, 0);
}

Message makeSampleAccess(std::uint32_t streamId) {
    const Value values[] = {str("|RtmpSampleAccess"), Value::boolean(true), Value::boolean(true)};
    return makeMessage(MessageType::DataAmf0, kDataChunkStream, streamId, amf0::encodeAll(values));
}

// Publishers wrap metadata as @setDataFrame("onMetaData", {...}) so the server stores it;
// players expect the unwrapped onMetaData data message. The rest is passed on byte for byte.
base::Result<std::vector<std::uint8_t>> normalizeDataFrame(std::span<const std::uint8_t> payload) {
    base::ByteReader reader(payload);
    std::size_t firstEnd = 0;
    bool wrapped = false;
    // Decode everything (offsets in errors are then relative to the whole payload) so a
    // malformed body is refused here rather than handed to every player.
    while (!reader.empty()) {
        auto v = amf0::decode(reader);
        if (!v) {
            return base::fail(v.error().withContext("rtmp: malformed data message"));
        }
        if (firstEnd == 0) {
            firstEnd = reader.position();
            auto name = v->asString();
            wrapped = name && *name == "@setDataFrame";
        }
    }
    if (wrapped) {
        return std::vector<std::uint8_t>(payload.begin() + static_cast<std::ptrdiff_t>(firstEnd),
                                         payload.end());
    }
    return std::vector<std::uint8_t>(payload.begin(), payload.end());
}

} // namespace stagecast::protocol::rtmp
