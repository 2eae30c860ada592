#pragma once
/// The client side of the NetConnection/NetStream commands (RTMP specification 1.0 section
/// 7.2) that a player and a publisher send, shaped as ffmpeg's librtmp-style client sends
/// them, and reading the server's replies.

#include <cstdint>
#include <string>
#include <string_view>

#include "protocol/rtmp/Command.h"
#include "protocol/rtmp/Message.h"

namespace stagecast::load {

/// Transaction ids: one fixed id per request keeps reply matching trivial.
inline constexpr double kConnectTxn = 1;
inline constexpr double kReleaseStreamTxn = 2;
inline constexpr double kFcPublishTxn = 3;
inline constexpr double kCreateStreamTxn = 4;
inline constexpr double kPlayTxn = 5;
inline constexpr double kPublishTxn = 6;

protocol::rtmp::Message connectCommand(const std::string& app, const std::string& tcUrl,
                                       bool publisher);
protocol::rtmp::Message createStreamCommand();
/// A live play: start -2000 (live, or recorded if no live stream), as ffmpeg sends it.
protocol::rtmp::Message playCommand(std::uint32_t streamId, const std::string& name);
protocol::rtmp::Message releaseStreamCommand(const std::string& name);
protocol::rtmp::Message fcPublishCommand(const std::string& name);
protocol::rtmp::Message publishCommand(std::uint32_t streamId, const std::string& name);

/// The info object's fields of an onStatus / _result / _error reply.
struct StatusInfo {
    std::string level;
    std::string code;
    std::string description;
};
StatusInfo statusOf(const protocol::rtmp::Command& command);
/// "code (description)" for error messages.
std::string describe(const StatusInfo& info);

} // namespace stagecast::load
