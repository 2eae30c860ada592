#include "RtmpCommands.h"

namespace stagecast::load {

namespace amf0 = protocol::amf0;
namespace rtmp = protocol::rtmp;

namespace {

rtmp::Message command(std::string name, double txn, std::uint32_t streamId,
                      std::vector<amf0::Value> args, amf0::Value object = amf0::Value::null()) {
    rtmp::Command c;
    c.name = std::move(name);
    c.transactionId = txn;
    c.commandObject = std::move(object);
    c.arguments = std::move(args);
    return rtmp::makeCommandMessage(c, streamId);
}

std::string stringField(const amf0::Value& object, std::string_view key) {
    const auto* v = object.get(key);
    auto s = v != nullptr ? v->asString() : std::nullopt;
    return s ? std::string(*s) : std::string();
}

} // namespace

rtmp::Message connectCommand(const std::string& app, const std::string& tcUrl, bool publisher) {
    amf0::Properties props{
        {"app", amf0::Value::string(app)},
        {"flashVer", amf0::Value::string(publisher ? "FMLE/3.0 (compatible; stagecast-load)"
                                                   : "LNX 9,0,124,2")},
        {"tcUrl", amf0::Value::string(tcUrl)},
    };
    if (publisher) {
        props.emplace_back("type", amf0::Value::string("nonprivate"));
    } else {
        props.emplace_back("fpad", amf0::Value::boolean(false));
        props.emplace_back("capabilities", amf0::Value::number(15));
        props.emplace_back("audioCodecs", amf0::Value::number(4071));
        props.emplace_back("videoCodecs", amf0::Value::number(252));
        props.emplace_back("videoFunction", amf0::Value::number(1));
    }
    return command("connect", kConnectTxn, 0, {}, amf0::Value::object(std::move(props)));
}

rtmp::Message createStreamCommand() {
    return command("createStream", kCreateStreamTxn, 0, {});
}

rtmp::Message playCommand(std::uint32_t streamId, const std::string& name) {
    return command("play", kPlayTxn, streamId,
                   {amf0::Value::string(name), amf0::Value::number(-2000)});
}

rtmp::Message releaseStreamCommand(const std::string& name) {
    return command("releaseStream", kReleaseStreamTxn, 0, {amf0::Value::string(name)});
}

rtmp::Message fcPublishCommand(const std::string& name) {
    return command("FCPublish", kFcPublishTxn, 0, {amf0::Value::string(name)});
}

rtmp::Message publishCommand(std::uint32_t streamId, const std::string& name) {
    return command("publish", kPublishTxn, streamId,
                   {amf0::Value::string(name), amf0::Value::string("live")});
}

StatusInfo statusOf(const rtmp::Command& c) {
    // onStatus and _error put the info object after the (Null) command object; a connect
    // _result puts it there too, after the properties object.
    StatusInfo info;
    for (const auto& arg : c.arguments) {
        if (arg.type() == amf0::Type::Object || arg.type() == amf0::Type::EcmaArray) {
            info.level = stringField(arg, "level");
            info.code = stringField(arg, "code");
            info.description = stringField(arg, "description");
            if (!info.code.empty()) {
                break;
            }
        }
    }
    return info;
}

std::string describe(const StatusInfo& info) {
    return info.code + (info.description.empty() ? "" : " (" + info.description + ")");
}

} // namespace stagecast::load
