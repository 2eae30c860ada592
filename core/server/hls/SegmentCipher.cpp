#include "SegmentCipher.h"

#include <climits>
#include <memory>

#include <openssl/evp.h>
#include <openssl/rand.h>

namespace stagecast::server::hls {

namespace {

struct CtxFree {
    void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};

} // namespace

base::Result<std::vector<std::uint8_t>> encryptSegment(std::span<const std::uint8_t> clear,
                                                       const Aes128Key& key, const Aes128Iv& iv) {
    if (clear.size() > static_cast<std::size_t>(INT_MAX) - 16) {
        return base::fail("segment of " + std::to_string(clear.size()) +
                          " bytes is too large to encrypt");
    }
    std::unique_ptr<EVP_CIPHER_CTX, CtxFree> ctx(EVP_CIPHER_CTX_new());
    if (!ctx) {
        return base::fail("AES-128: cannot allocate a cipher context");
    }
    // PKCS#7 padding is EVP's default for block modes.
    if (EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_cbc(), nullptr, key.data(), iv.data()) != 1) {
        return base::fail("AES-128: cipher initialisation failed");
    }
    std::vector<std::uint8_t> out(clear.size() + 16);
    int written = 0;
    if (EVP_EncryptUpdate(ctx.get(), out.data(), &written, clear.data(),
                          static_cast<int>(clear.size())) != 1) {
        return base::fail("AES-128: encryption failed");
    }
    int last = 0;
    if (EVP_EncryptFinal_ex(ctx.get(), out.data() + written, &last) != 1) {
        return base::fail("AES-128: final block failed");
    }
    out.resize(static_cast<std::size_t>(written + last));
    return out;
}

base::Result<std::array<std::uint8_t, 16>> random16() {
    std::array<std::uint8_t, 16> out{};
    if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) {
        return base::fail("the random generator failed (RAND_bytes)");
    }
    return out;
}

} // namespace stagecast::server::hls
