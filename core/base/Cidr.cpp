#include "base/Cidr.h"

#include <algorithm>
#include <charconv>
#include <cstring>

#ifdef _WIN32
#include <ws2tcpip.h>
#else
#include <arpa/inet.h>
#include <sys/socket.h>
#endif

namespace stagecast::base {

namespace {

// Longest textual IPv6 address with an embedded IPv4 tail is 45 characters; anything much
// longer cannot be an address and is refused before copying.
constexpr std::size_t kMaxAddressText = 64;

// RFC 4291 section 2.5.5.2: ::ffff:0:0/96.
constexpr std::array<std::uint8_t, 12> kV4MappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

std::string notAnAddress(std::string_view text) {
    return "'" + std::string(text) + "' is not an IPv4 or IPv6 address";
}

bool isV4Mapped(const std::array<std::uint8_t, 16>& bytes) {
    return std::equal(kV4MappedPrefix.begin(), kV4MappedPrefix.end(), bytes.begin());
}

// True if every bit from `prefix` onwards is zero.
bool hostBitsClear(const std::array<std::uint8_t, 16>& bytes, int prefix, int bitLength) {
    for (int bit = prefix; bit < bitLength; ++bit) {
        const auto byte = bytes[static_cast<std::size_t>(bit / 8)];
        if ((byte >> (7 - bit % 8)) & 1) {
            return false;
        }
    }
    return true;
}

std::array<std::uint8_t, 16> masked(std::array<std::uint8_t, 16> bytes, int prefix, int bitLength) {
    for (int bit = prefix; bit < bitLength; ++bit) {
        auto& byte = bytes[static_cast<std::size_t>(bit / 8)];
        byte = static_cast<std::uint8_t>(byte & ~(1u << (7 - bit % 8)));
    }
    return bytes;
}

} // namespace

Result<IpAddress> IpAddress::parse(std::string_view text) {
    // A zone ("%eth0", "%2") only says which link; the address is what rules match.
    if (const auto percent = text.find('%'); percent != std::string_view::npos) {
        const auto address = text.substr(0, percent);
        if (percent + 1 == text.size() || address.find(':') == std::string_view::npos) {
            return fail(notAnAddress(text));
        }
        auto parsed = parse(address);
        if (!parsed || parsed->isV4()) {
            return fail(notAnAddress(text));
        }
        return parsed;
    }
    if (text.empty() || text.size() > kMaxAddressText) {
        return fail(notAnAddress(text));
    }
    const std::string copy(text); // inet_pton needs a terminated string
    IpAddress result;
    if (copy.find(':') == std::string::npos) {
        if (inet_pton(AF_INET, copy.c_str(), result.bytes_.data()) != 1) {
            return fail(notAnAddress(text));
        }
        result.family_ = Family::V4;
        return result;
    }
    std::array<std::uint8_t, 16> v6{};
    if (inet_pton(AF_INET6, copy.c_str(), v6.data()) != 1) {
        return fail(notAnAddress(text));
    }
    if (isV4Mapped(v6)) {
        std::copy(v6.begin() + 12, v6.end(), result.bytes_.begin());
        result.family_ = Family::V4;
    } else {
        result.bytes_ = v6;
        result.family_ = Family::V6;
    }
    return result;
}

std::string IpAddress::toString() const {
    if (isV4()) {
        std::string out;
        for (std::size_t i = 0; i < 4; ++i) {
            if (i != 0) {
                out += '.';
            }
            out += std::to_string(bytes_[i]);
        }
        return out;
    }
    char buffer[64] = {};
    if (inet_ntop(AF_INET6, bytes_.data(), buffer, sizeof buffer) == nullptr) {
        return "?";
    }
    return buffer;
}

Result<Cidr> Cidr::parse(std::string_view text) {
    const auto invalid = [text](const std::string& why) {
        return fail("invalid CIDR '" + std::string(text) + "': " + why);
    };
    if (text.empty()) {
        return invalid("expected ADDRESS or ADDRESS/PREFIX");
    }
    const auto slash = text.find('/');
    const auto addressText = text.substr(0, slash);
    // Zones name a link, not a network: refuse them in rules.
    if (addressText.find('%') != std::string_view::npos) {
        return invalid(notAnAddress(addressText));
    }
    auto address = IpAddress::parse(addressText);
    if (!address) {
        return invalid(address.error().message());
    }
    // The family as written decides the prefix range: "::ffff:10.0.0.0/104" is an IPv6
    // prefix that happens to cover only IPv4-mapped addresses.
    const bool writtenAsV6 = addressText.find(':') != std::string_view::npos;
    const int writtenBits = writtenAsV6 ? 128 : 32;
    const std::string rangeText = "prefix length must be 0.." + std::to_string(writtenBits);

    int prefix = writtenBits;
    if (slash != std::string_view::npos) {
        const auto digits = text.substr(slash + 1);
        const bool allDigits =
            !digits.empty() && digits.size() <= 3 &&
            std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!allDigits) {
            return invalid(rangeText);
        }
        std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
        if (prefix > writtenBits) {
            return invalid(rangeText);
        }
    }

    Cidr result;
    result.network_ = *address;
    if (writtenAsV6 && address->isV4()) {
        // Bytes 10..11 of a mapped address are 0xffff, so a prefix shorter than 96 always
        // leaves host bits set.
        if (prefix < 96) {
            return invalid("address has bits set beyond the prefix; a prefix on an "
                           "IPv4-mapped address must be 96..128");
        }
        prefix -= 96;
    }
    result.prefix_ = prefix;
    const int bits = result.network_.bitLength();
    if (!hostBitsClear(result.network_.bytes(), prefix, bits)) {
        Cidr suggestion = result;
        suggestion.network_ =
            IpAddress(result.network_.family(), masked(result.network_.bytes(), prefix, bits));
        return invalid("address has bits set beyond the prefix (did you mean '" +
                       suggestion.toString() + "'?)");
    }
    return result;
}

bool Cidr::contains(const IpAddress& address) const {
    if (address.family() != network_.family()) {
        return false;
    }
    const auto& a = address.bytes();
    const auto& n = network_.bytes();
    const auto fullBytes = static_cast<std::size_t>(prefix_ / 8);
    if (!std::equal(n.begin(), n.begin() + static_cast<std::ptrdiff_t>(fullBytes), a.begin())) {
        return false;
    }
    const int restBits = prefix_ % 8;
    if (restBits == 0) {
        return true;
    }
    const auto mask = static_cast<std::uint8_t>(0xff << (8 - restBits));
    return (a[fullBytes] & mask) == (n[fullBytes] & mask);
}

std::string Cidr::toString() const {
    return network_.toString() + "/" + std::to_string(prefix_);
}

} // namespace stagecast::base
