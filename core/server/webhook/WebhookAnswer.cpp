#include "WebhookAnswer.h"

#include <cstdint>

#include <nlohmann/json.hpp>

namespace stagecast::server::webhook {

namespace {

constexpr std::size_t kQuoteBytes = 80;

std::string_view trim(std::string_view s) {
    const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && space(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && space(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

// A short, printable excerpt of the receiver's body for the log line.
std::string quote(std::string_view body) {
    std::string out = "'";
    for (char c : body.substr(0, kQuoteBytes)) {
        const auto byte = static_cast<unsigned char>(c);
        out += byte >= 0x20 && byte < 0x7f ? c : '?';
    }
    out += body.size() > kQuoteBytes ? "...'" : "'";
    return out;
}

} // namespace

PublishAnswer judgePublishAnswer(unsigned status, std::string_view body) {
    if (status != 200) {
        return {false, "HTTP " + std::to_string(status)};
    }
    const auto text = trim(body);
    if (text == "0") {
        return {true, {}};
    }
    if (text.empty()) {
        return {false, "HTTP 200 with an empty body (allow needs \"0\" or {\"code\":0})"};
    }
    auto json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
        return {false, "answered " + quote(text) + " (allow needs \"0\" or {\"code\":0})"};
    }
    auto code = json.find("code");
    if (code == json.end() || !code->is_number_integer()) {
        return {false, "answered " + quote(text) + " without an integer \"code\""};
    }
    const auto value = code->is_number_unsigned() ? std::to_string(code->get<std::uint64_t>())
                                                  : std::to_string(code->get<std::int64_t>());
    if (value != "0") {
        return {false, "answered code " + value};
    }
    return {true, {}};
}

} // namespace stagecast::server::webhook
