// libFuzzer target for AMF0 decode/encode and the RTMP command layer built on it.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>

#include "protocol/amf0/Amf0.h"
#include "protocol/rtmp/Command.h"

namespace amf0 = stagecast::protocol::amf0;
namespace rtmp = stagecast::protocol::rtmp;

namespace {

[[noreturn]] void failCheck(const char* what) {
    std::fprintf(stderr, "fuzz_amf0 invariant broken: %s\n", what);
    std::abort();
}

void check(bool ok, const char* what) {
    if (!ok) {
        failCheck(what);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> input(data, size);

    // Whatever decodes must re-encode to something that decodes to an equal value.
    auto values = amf0::decodeAll(input);
    if (values) {
        const auto encoded = amf0::encodeAll(*values);
        auto again = amf0::decodeAll(encoded);
        check(again.has_value(), "re-encoded values do not decode");
        check(*again == *values, "re-encoded values decode differently");
        check(amf0::encodeAll(*again) == encoded, "encoding is not stable");
    } else {
        check(!values.error().message().empty(), "decode error without a message");
    }

    auto cmd = rtmp::parseCommand(input);
    if (cmd) {
        check(values.has_value(), "command parsed from undecodable AMF0");
        auto back = rtmp::parseCommand(rtmp::encodeCommand(*cmd));
        check(back.has_value(), "encoded command does not parse");
        check(back->name == cmd->name, "command name changed");
        check(back->transactionId == cmd->transactionId ||
                  (std::isnan(back->transactionId) && std::isnan(cmd->transactionId)),
              "transaction id changed");
        check(back->commandObject == cmd->commandObject, "command object changed");
        check(back->arguments == cmd->arguments, "command arguments changed");
        const auto m = rtmp::makeCommandMessage(*cmd, 1);
        check(m.header.length == m.payload.size(), "message length mismatch");
    } else {
        check(!cmd.error().message().empty(), "command error without a message");
    }

    auto normalized = rtmp::normalizeDataFrame(input);
    check(normalized.has_value() == values.has_value(),
          "normalizeDataFrame and decodeAll disagree on validity");
    if (normalized) {
        check(normalized->size() <= size, "normalized payload grew");
        check(amf0::decodeAll(*normalized).has_value(), "normalized payload does not decode");
    }
    return 0;
}
