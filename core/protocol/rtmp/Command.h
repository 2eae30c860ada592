#pragma once
/// NetConnection and NetStream commands carried as AMF0 command messages (RTMP specification
/// 1.0 section 7.2): parsing incoming commands and building the replies and onStatus
/// notifications that OBS, ffmpeg, FMLE-style and hardware encoders and players expect.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/Result.h"
#include "protocol/amf0/Amf0.h"
#include "protocol/rtmp/Message.h"

namespace stagecast::protocol::rtmp {

struct Command {
    std::string name; // "connect", "publish", ...
    double transactionId = 0;
    amf0::Value commandObject;          // Null when absent
    std::vector<amf0::Value> arguments; // the values after the command object
};

/// Parses an AMF0 command (type 20) payload; an AMF3 command (type 17) payload after its
/// leading 0x00 format byte is also AMF0 and is accepted by passing the rest.
base::Result<Command> parseCommand(std::span<const std::uint8_t> payload);

/// Encodes a command message body.
std::vector<std::uint8_t> encodeCommand(const Command& command);

/// A complete CommandAmf0 message on message stream `streamId`.
Message makeCommandMessage(const Command& command, std::uint32_t streamId);

/// "_result" to connect: fmsVer/capabilities properties and
/// level=status, code=NetConnection.Connect.Success, objectEncoding echoed (0 for AMF0).
Message makeConnectResult(double transactionId, double objectEncoding);
/// "_result" to createStream with the new stream id.
Message makeCreateStreamResult(double transactionId, double streamId);
/// "_result" with Null command object and no further value (releaseStream, FCPublish, ...).
Message makeSimpleResult(double transactionId);
/// "_error" to a command: level=error, code, description.
Message makeCommandError(double transactionId, std::string_view code, std::string_view description);
/// onStatus(level, code, description) on `streamId`, transaction 0, Null command object.
/// `details` is added as "details" when not empty (the stream name, as servers do).
Message makeOnStatus(std::uint32_t streamId, std::string_view level, std::string_view code,
                     std::string_view description, std::string_view details = {});
/// onFCPublish / onFCUnpublish notifications some encoders wait for.
Message makeOnFCPublish(std::string_view code, std::string_view description);
/// |RtmpSampleAccess(true, true) data message sent to players before media.
Message makeSampleAccess(std::uint32_t streamId);

/// A data message payload "@setDataFrame","onMetaData",{...} rewritten to "onMetaData",{...}
/// as players expect; other data payloads are returned unchanged. Fails on malformed AMF.
base::Result<std::vector<std::uint8_t>> normalizeDataFrame(std::span<const std::uint8_t> payload);

} // namespace stagecast::protocol::rtmp
