#include "WebhookSignature.h"

#include <array>

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace stagecast::server::webhook {

std::string hmacSha256Hex(std::string_view key, std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    unsigned int length = 0;
    // An empty key is a valid HMAC key; OpenSSL only needs a non-null pointer for it.
    static const unsigned char kEmpty = 0;
    const void* keyData = key.empty() ? &kEmpty : static_cast<const void*>(key.data());
    const auto* text = reinterpret_cast<const unsigned char*>(data.data());
    if (HMAC(EVP_sha256(), keyData, static_cast<int>(key.size()), data.empty() ? &kEmpty : text,
             data.size(), mac.data(), &length) == nullptr) {
        return {};
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(length * 2);
    for (unsigned int i = 0; i < length; ++i) {
        out += kHex[mac[i] >> 4];
        out += kHex[mac[i] & 0x0f];
    }
    return out;
}

std::string signedText(std::int64_t timestamp, std::string_view body) {
    auto text = std::to_string(timestamp);
    text += '.';
    text += body;
    return text;
}

std::string signatureHeader(std::string_view secret, std::int64_t timestamp,
                            std::string_view body) {
    return "sha256=" + hmacSha256Hex(secret, signedText(timestamp, body));
}

} // namespace stagecast::server::webhook
