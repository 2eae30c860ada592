#pragma once
// AES-128-CBC decryption with OpenSSL EVP for the HLS encryption tests: an independent
// check of what the packager encrypts (RFC 8216 METHOD=AES-128, PKCS#7 padding).

#include <openssl/evp.h>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace stagecast::test::hls {

/// The clear bytes, or nullopt when the padding (or anything else) is wrong.
inline std::optional<std::vector<std::uint8_t>>
decryptAes128(std::span<const std::uint8_t> sealed, const std::array<std::uint8_t, 16>& key,
              const std::array<std::uint8_t, 16>& iv) {
    std::unique_ptr<EVP_CIPHER_CTX, void (*)(EVP_CIPHER_CTX*)> ctx(EVP_CIPHER_CTX_new(),
                                                                   EVP_CIPHER_CTX_free);
    std::vector<std::uint8_t> out(sealed.size() + 16);
    int n = 0;
    int last = 0;
    if (!ctx ||
        EVP_DecryptInit_ex(ctx.get(), EVP_aes_128_cbc(), nullptr, key.data(), iv.data()) != 1 ||
        EVP_DecryptUpdate(ctx.get(), out.data(), &n, sealed.data(),
                          static_cast<int>(sealed.size())) != 1 ||
        EVP_DecryptFinal_ex(ctx.get(), out.data() + n, &last) != 1) {
        return std::nullopt;
    }
    out.resize(static_cast<std::size_t>(n + last));
    return out;
}

} // namespace stagecast::test::hls
