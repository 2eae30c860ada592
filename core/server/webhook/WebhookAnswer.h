#pragma once
/// Reads the on_publish receiver's answer, by SRS's HTTP callback convention: HTTP 200 with
/// the body "0", or a JSON object whose "code" is the integer 0, allows; any other answer
/// refuses, and the reason says what came back. The body is the receiver's (external input):
/// any bytes, any size the HTTP client let through. Pure function, thread-safe.

#include <string>
#include <string_view>

namespace stagecast::server::webhook {

struct PublishAnswer {
    bool allowed = false;
    /// Why it was refused ("HTTP 403", "answered code 1"), or a note on why it was allowed
    /// ("unreachable: ...; allowed because fail_open"); empty on a plain yes.
    std::string reason;
};

PublishAnswer judgePublishAnswer(unsigned status, std::string_view body);

} // namespace stagecast::server::webhook
