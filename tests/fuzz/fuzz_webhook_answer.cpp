// Reads the input as an on_publish receiver's answer body, under each interesting status. The
// verdict must hold the convention (allowed only for 200 with "0" or {"code":0}), a refusal
// must say why, and the reason quotes at most a short, printable excerpt of the body.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "server/webhook/WebhookAnswer.h"

namespace webhook = stagecast::server::webhook;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    for (unsigned status : {200u, 201u, 403u, 500u}) {
        const auto answer = webhook::judgePublishAnswer(status, body);
        if (answer.allowed && (status != 200 || !answer.reason.empty())) {
            __builtin_trap();
        }
        if (!answer.allowed && answer.reason.empty()) {
            __builtin_trap();
        }
        if (answer.reason.size() > 200) {
            __builtin_trap();
        }
        for (char c : answer.reason) {
            const auto byte = static_cast<unsigned char>(c);
            if (byte < 0x20 || byte >= 0x7f) {
                __builtin_trap();
            }
        }
    }
    return 0;
}
