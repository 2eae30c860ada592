#pragma once
/// AES-128-CBC with PKCS#7 padding over a whole HLS segment: RFC 8216 section 4.3.2.4,
/// METHOD=AES-128 (the segment is encrypted as one unit, padded to 16 bytes). OpenSSL EVP;
/// pure functions, callable from any thread.

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "base/Result.h"

namespace stagecast::server::hls {

using Aes128Key = std::array<std::uint8_t, 16>;
using Aes128Iv = std::array<std::uint8_t, 16>;

/// The ciphertext of `clear` (a multiple of 16 bytes, 1..16 bytes longer than `clear`).
/// Fails only when OpenSSL does (the error names the step).
base::Result<std::vector<std::uint8_t>> encryptSegment(std::span<const std::uint8_t> clear,
                                                       const Aes128Key& key, const Aes128Iv& iv);

/// 16 bytes from OpenSSL's CSPRNG (RAND_bytes); fails when it cannot seed.
base::Result<std::array<std::uint8_t, 16>> random16();

} // namespace stagecast::server::hls
