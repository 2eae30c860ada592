// Fuzzes ServerHandshake and ClientHandshake (RTMP specification 1.0 section 5.2 and the
// digest form). The first 2 bytes steer the run: a split point, and whether to plant a valid
// scheme-0/1 digest in the fuzzed C1 so the digest path sees fuzzed content. Checks consumed
// byte counts, output sizes, and the S1/S2 digests against an independent computation.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <vector>

#include "protocol/rtmp/Handshake.h"

using namespace stagecast::protocol::rtmp;

namespace {

constexpr std::size_t kBlock = kHandshakeSize;
constexpr std::array<std::uint8_t, 32> kTail = {
    0xF0, 0xEE, 0xC2, 0x4A, 0x80, 0x68, 0xBE, 0xE8, 0x2E, 0x00, 0xD0, 0xD1, 0x02, 0x9E, 0x7E, 0x57,
    0x6E, 0xEC, 0x5D, 0x2D, 0x29, 0x80, 0x6F, 0xAB, 0x93, 0xB8, 0xE6, 0x36, 0xCF, 0xEB, 0x31, 0xAE};

void check(bool ok) {
    if (!ok) {
        std::abort();
    }
}

std::vector<std::uint8_t> key(const char* text) {
    std::vector<std::uint8_t> k(text, text + std::strlen(text));
    k.insert(k.end(), kTail.begin(), kTail.end());
    return k;
}

std::array<std::uint8_t, 32> hmac(std::span<const std::uint8_t> k,
                                  std::span<const std::uint8_t> d) {
    std::array<std::uint8_t, 32> out{};
    unsigned int n = 0;
    HMAC(EVP_sha256(), k.data(), static_cast<int>(k.size()), d.data(), d.size(), out.data(), &n);
    return out;
}

std::size_t offsetOf(std::span<const std::uint8_t> b, int scheme) {
    const std::size_t base = scheme == 0 ? 8 : 772;
    return (std::size_t{b[base]} + b[base + 1] + b[base + 2] + b[base + 3]) % 728 + base + 4;
}

std::array<std::uint8_t, 32> digestAt(std::span<const std::uint8_t> b, std::size_t off,
                                      std::span<const std::uint8_t> k) {
    std::vector<std::uint8_t> rest(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(off));
    rest.insert(rest.end(), b.begin() + static_cast<std::ptrdiff_t>(off + 32), b.end());
    return hmac(k, rest);
}

bool digestValid(std::span<const std::uint8_t> b, int scheme, std::span<const std::uint8_t> k) {
    const std::size_t off = offsetOf(b, scheme);
    const auto d = digestAt(b, off, k);
    return std::equal(d.begin(), d.end(), b.begin() + static_cast<std::ptrdiff_t>(off));
}

void fuzzServer(std::vector<std::uint8_t> in, std::size_t cut, int plantScheme) {
    const auto playerKey = key("Genuine Adobe Flash Player 001");
    const auto serverKey = key("Genuine Adobe Flash Media Server 001");
    if (plantScheme >= 0 && in.size() >= 1 + kBlock) {
        const auto c1 = std::span(in).subspan(1, kBlock);
        const std::size_t off = offsetOf(c1, plantScheme);
        const auto d = digestAt(c1, off, std::span(playerKey).first(30));
        std::copy(d.begin(), d.end(), c1.begin() + static_cast<std::ptrdiff_t>(off));
    }
    cut = std::min(cut, in.size());
    ServerHandshake server;
    std::size_t used = 0;
    bool failed = false;
    for (auto piece : {std::span(in).first(cut), std::span(in).subspan(cut)}) {
        auto r = server.feed(piece);
        if (!r) {
            failed = true;
            check(!in.empty() && in[0] != 3 && in[0] != 6);
            break;
        }
        check(*r <= piece.size());
        used += *r;
        if (*r < piece.size()) {
            check(server.done()); // only stops early at the end of C2
        }
    }
    if (failed) {
        return;
    }
    check(used == std::min(in.size(), 1 + 2 * kBlock));
    check(server.done() == (in.size() >= 1 + 2 * kBlock));
    const auto out = server.takeOutput();
    if (in.size() < 1 + kBlock) {
        check(out.empty());
        return;
    }
    check(out.size() == 1 + 2 * kBlock && out[0] == 3);
    const auto c1 = std::span<const std::uint8_t>(in).subspan(1, kBlock);
    const auto s1 = std::span(out).subspan(1, kBlock);
    const auto s2 = std::span(out).subspan(1 + kBlock);
    const bool c1Valid = digestValid(c1, 0, std::span(playerKey).first(30)) ||
                         digestValid(c1, 1, std::span(playerKey).first(30));
    check(server.usedDigest() == c1Valid);
    if (!server.usedDigest()) {
        check(std::equal(s2.begin(), s2.end(), c1.begin()));
        return;
    }
    const int scheme = digestValid(c1, 0, std::span(playerKey).first(30)) ? 0 : 1;
    check(digestValid(s1, scheme, std::span(serverKey).first(36)));
    const std::size_t off = offsetOf(c1, scheme);
    const auto temp = hmac(serverKey, c1.subspan(off, 32));
    const auto sig = hmac(temp, s2.first(kBlock - 32));
    check(std::equal(sig.begin(), sig.end(), s2.end() - 32));
}

void fuzzClient(std::span<const std::uint8_t> in, std::size_t cut) {
    ClientHandshake client;
    check(client.takeOutput().size() == 1 + kBlock);
    cut = std::min(cut, in.size());
    std::size_t used = 0;
    for (auto piece : {in.first(cut), in.subspan(cut)}) {
        auto r = client.feed(piece);
        if (!r) {
            check(!in.empty() && in[0] != 3);
            return;
        }
        check(*r <= piece.size());
        used += *r;
    }
    check(used == std::min(in.size(), 1 + 2 * kBlock));
    const auto c2 = client.takeOutput();
    if (in.size() >= 1 + kBlock) {
        check(c2.size() == kBlock && std::equal(c2.begin(), c2.end(), in.begin() + 1));
    } else {
        check(c2.empty());
    }
    check(client.done() == (in.size() >= 1 + 2 * kBlock));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) {
        return 0;
    }
    const std::span<const std::uint8_t> input(data + 2, size - 2);
    const std::size_t cut = data[0] * input.size() / 255;
    const int plantScheme = (data[1] & 3) == 1 ? 0 : (data[1] & 3) == 2 ? 1 : -1;
    fuzzServer(std::vector<std::uint8_t>(input.begin(), input.end()), cut, plantScheme);
    fuzzClient(input, cut);
    return 0;
}
