#include "Handshake.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <utility>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

namespace stagecast::protocol::rtmp {

namespace {

constexpr std::uint8_t kVersion = 3;
// RTMPE (encrypted) clients such as librtmp's ask for 6 and fall back to plain RTMP when the
// server answers 3.
constexpr std::uint8_t kVersionEncrypted = 6;
constexpr std::size_t kC0C1Size = 1 + kHandshakeSize;

constexpr std::size_t kDigestSize = 32;
// The digest-offset bytes of scheme 0 sit at 8..11 and of scheme 1 at 772..775; the 728
// possible offsets start right behind them.
constexpr std::array<std::size_t, 2> kSchemeBase = {8, 772};
constexpr std::size_t kOffsetRange = 728;
// Version field of S1 in the digest form; clients only check that it is not zero.
constexpr std::array<std::uint8_t, 4> kServerVersion = {0x0D, 0x0E, 0x0A, 0x0D};

// The 32 constant bytes that follow the text part of both keys.
constexpr std::array<std::uint8_t, 32> kKeyTail = {
    0xF0, 0xEE, 0xC2, 0x4A, 0x80, 0x68, 0xBE, 0xE8, 0x2E, 0x00, 0xD0, 0xD1, 0x02, 0x9E, 0x7E, 0x57,
    0x6E, 0xEC, 0x5D, 0x2D, 0x29, 0x80, 0x6F, 0xAB, 0x93, 0xB8, 0xE6, 0x36, 0xCF, 0xEB, 0x31, 0xAE};

template <std::size_t N>
constexpr std::array<std::uint8_t, N - 1 + kKeyTail.size()> makeKey(const char (&text)[N]) {
    std::array<std::uint8_t, N - 1 + kKeyTail.size()> key{};
    for (std::size_t i = 0; i + 1 < N; ++i) {
        key[i] = static_cast<std::uint8_t>(text[i]);
    }
    for (std::size_t i = 0; i < kKeyTail.size(); ++i) {
        key[N - 1 + i] = kKeyTail[i];
    }
    return key;
}

// C1's digest is keyed with the 30-byte text part of the player key.
constexpr auto kPlayerKey = makeKey("Genuine Adobe Flash Player 001");
constexpr std::size_t kPlayerKeyTextSize = 30;
static_assert(kPlayerKey.size() == 62);

// S1's digest is keyed with the 36-byte text part of the server key; S2's key is derived
// from all 68 bytes.
constexpr auto kServerKey = makeKey("Genuine Adobe Flash Media Server 001");
constexpr std::size_t kServerKeyTextSize = 36;
static_assert(kServerKey.size() == 68);

using Digest = std::array<std::uint8_t, kDigestSize>;
using Block = std::array<std::uint8_t, kHandshakeSize>;

std::optional<Digest> hmacSha256(std::span<const std::uint8_t> key,
                                 std::span<const std::uint8_t> data) {
    Digest out{};
    unsigned int size = 0;
    if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), data.data(), data.size(),
             out.data(), &size) == nullptr ||
        size != kDigestSize) {
        return std::nullopt;
    }
    return out;
}

std::size_t digestOffset(std::span<const std::uint8_t> block, std::size_t scheme) {
    const std::size_t base = kSchemeBase[scheme];
    const std::size_t sum =
        std::size_t{block[base]} + block[base + 1] + block[base + 2] + block[base + 3];
    return sum % kOffsetRange + base + 4;
}

// HMAC-SHA256 over the 1536-byte block without the 32 digest bytes at `offset`.
std::optional<Digest> blockDigest(std::span<const std::uint8_t> block, std::size_t offset,
                                  std::span<const std::uint8_t> key) {
    std::array<std::uint8_t, kHandshakeSize - kDigestSize> rest{};
    std::copy_n(block.begin(), offset, rest.begin());
    std::copy(block.begin() + static_cast<std::ptrdiff_t>(offset + kDigestSize), block.end(),
              rest.begin() + static_cast<std::ptrdiff_t>(offset));
    return hmacSha256(key, rest);
}

struct ClientDigest {
    std::size_t scheme = 0;
    Digest digest{};
};

std::optional<ClientDigest> findClientDigest(std::span<const std::uint8_t> c1) {
    const auto key = std::span(kPlayerKey).first(kPlayerKeyTextSize);
    for (std::size_t scheme = 0; scheme < kSchemeBase.size(); ++scheme) {
        const std::size_t offset = digestOffset(c1, scheme);
        const auto expected = blockDigest(c1, offset, key);
        const auto sent = c1.subspan(offset, kDigestSize);
        if (expected && std::equal(expected->begin(), expected->end(), sent.begin())) {
            ClientDigest found;
            found.scheme = scheme;
            std::copy(sent.begin(), sent.end(), found.digest.begin());
            return found;
        }
    }
    return std::nullopt;
}

bool randomFill(std::span<std::uint8_t> out) {
    return RAND_bytes(out.data(), static_cast<int>(out.size())) == 1;
}

std::string versionError(std::uint8_t version) {
    return "rtmp: handshake version " + std::to_string(version) + " unsupported, expected 3";
}

bool versionAccepted(std::uint8_t version) {
    return version == kVersion || version == kVersionEncrypted;
}

} // namespace

// Section 5.2.5: C0 and C1 arrive together, S0 S1 S2 go out together, then C2 ends it.
base::Result<std::size_t> ServerHandshake::feed(std::span<const std::uint8_t> data) {
    if (state_ == State::Failed) {
        return base::fail(error_);
    }
    std::size_t used = 0;
    if (state_ == State::WaitC0C1) {
        if (buffer_.empty() && !data.empty() && !versionAccepted(data[0])) {
            state_ = State::Failed;
            error_ = base::Error(versionError(data[0]));
            return base::fail(error_);
        }
        used = std::min(kC0C1Size - buffer_.size(), data.size());
        buffer_.insert(buffer_.end(), data.begin(),
                       data.begin() + static_cast<std::ptrdiff_t>(used));
        if (buffer_.size() < kC0C1Size) {
            return used;
        }
        if (auto answered = answer(); !answered) {
            state_ = State::Failed;
            error_ = answered.error();
            return base::fail(error_);
        }
        buffer_ = {};
        state_ = State::WaitC2;
    }
    if (state_ == State::WaitC2) {
        const std::size_t take = std::min(kHandshakeSize - c2Received_, data.size() - used);
        c2Received_ += take;
        used += take;
        if (c2Received_ == kHandshakeSize) {
            state_ = State::Done;
        }
    }
    return used;
}

// Builds S0 S1 S2 for the C0 C1 in buffer_: the digest form when C1 carries a valid digest
// (scheme 0 or 1), else the simple form of section 5.2.3 with S2 echoing C1.
base::Status ServerHandshake::answer() {
    const auto c1 = std::span<const std::uint8_t>(buffer_).subspan(1, kHandshakeSize);
    const auto client = findClientDigest(c1);
    digest_ = client.has_value();

    Block s1{};
    if (!randomFill(s1)) {
        return base::fail("rtmp: handshake could not get random bytes");
    }
    std::fill_n(s1.begin(), 4, std::uint8_t{0}); // time
    if (client) {
        std::copy(kServerVersion.begin(), kServerVersion.end(), s1.begin() + 4);
        const std::size_t offset = digestOffset(s1, client->scheme);
        const auto digest =
            blockDigest(s1, offset, std::span(kServerKey).first(kServerKeyTextSize));
        if (!digest) {
            return base::fail("rtmp: handshake HMAC-SHA256 failed");
        }
        std::copy(digest->begin(), digest->end(), s1.begin() + static_cast<std::ptrdiff_t>(offset));
    } else {
        std::fill_n(s1.begin() + 4, 4, std::uint8_t{0}); // zero: simple handshake
    }

    Block s2{};
    if (client) {
        // S2 = random part + HMAC(key = HMAC(server key, C1 digest), random part).
        const auto random = std::span(s2).first(kHandshakeSize - kDigestSize);
        if (!randomFill(random)) {
            return base::fail("rtmp: handshake could not get random bytes");
        }
        const auto key = hmacSha256(kServerKey, client->digest);
        const auto signature = key ? hmacSha256(*key, random) : std::nullopt;
        if (!signature) {
            return base::fail("rtmp: handshake HMAC-SHA256 failed");
        }
        std::copy(signature->begin(), signature->end(), s2.end() - kDigestSize);
    } else {
        std::copy(c1.begin(), c1.end(), s2.begin());
    }

    output_.reserve(1 + 2 * kHandshakeSize);
    output_.push_back(kVersion);
    output_.insert(output_.end(), s1.begin(), s1.end());
    output_.insert(output_.end(), s2.begin(), s2.end());
    return {};
}

std::vector<std::uint8_t> ServerHandshake::takeOutput() {
    return std::exchange(output_, {});
}

bool ServerHandshake::done() const {
    return state_ == State::Done;
}

bool ServerHandshake::usedDigest() const {
    return digest_;
}

ClientHandshake::ClientHandshake() {
    output_.reserve(kC0C1Size);
    output_.push_back(kVersion);
    Block c1{};
    // The random part is filler the server echoes back; if no random bytes are available,
    // zeros work just as well.
    if (!randomFill(std::span(c1).subspan(8))) {
        std::fill(c1.begin(), c1.end(), std::uint8_t{0});
    }
    output_.insert(output_.end(), c1.begin(), c1.end()); // time 0, zero field, random
}

base::Result<std::size_t> ClientHandshake::feed(std::span<const std::uint8_t> data) {
    if (state_ == State::Failed) {
        return base::fail(error_);
    }
    if (state_ == State::Done) {
        return 0;
    }
    std::size_t used = 0;
    if (buffer_.size() < kC0C1Size) {
        if (buffer_.empty() && !data.empty() && data[0] != kVersion) {
            state_ = State::Failed;
            error_ = base::Error(versionError(data[0]));
            return base::fail(error_);
        }
        used = std::min(kC0C1Size - buffer_.size(), data.size());
        buffer_.insert(buffer_.end(), data.begin(),
                       data.begin() + static_cast<std::ptrdiff_t>(used));
        if (buffer_.size() < kC0C1Size) {
            return used;
        }
        // C2 echoes S1 (section 5.2.4).
        output_.insert(output_.end(), buffer_.begin() + 1, buffer_.end());
    }
    const std::size_t take = std::min(kHandshakeSize - s2Received_, data.size() - used);
    s2Received_ += take;
    used += take;
    if (s2Received_ == kHandshakeSize) {
        state_ = State::Done;
        buffer_ = {};
    }
    return used;
}

std::vector<std::uint8_t> ClientHandshake::takeOutput() {
    return std::exchange(output_, {});
}

bool ClientHandshake::done() const {
    return state_ == State::Done;
}

} // namespace stagecast::protocol::rtmp
