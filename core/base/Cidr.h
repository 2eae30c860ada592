#pragma once
/// IP addresses and CIDR blocks (RFC 4632 for IPv4, RFC 4291 section 2.3 for IPv6 prefixes).
/// Shared by the config loader (validates ACL entries at load time) and the server's IpAcl.
///
/// IPv4-mapped IPv6 addresses (::ffff:a.b.c.d, RFC 4291 section 2.5.5.2) are folded into
/// plain IPv4 on parse, so a dual-stack socket reporting "::ffff:10.1.2.3" matches the rule
/// "10.0.0.0/8". IPv6 rules never match IPv4 addresses: "::/0" is every IPv6 address only.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/Result.h"

namespace stagecast::base {

class IpAddress {
public:
    enum class Family { V4, V6 };

    IpAddress() = default;
    /// Bytes in network order; for IPv4 only the first 4 are used, the rest must be zero.
    IpAddress(Family family, const std::array<std::uint8_t, 16>& bytes)
        : family_(family), bytes_(bytes) {}

    /// Parses "1.2.3.4", "::1", "::ffff:1.2.3.4" (becomes IPv4) or "fe80::1%eth0" (the zone
    /// is dropped: ACLs match on the address alone). Error: "'x' is not an IPv4 or IPv6
    /// address".
    static Result<IpAddress> parse(std::string_view text);

    Family family() const { return family_; }
    bool isV4() const { return family_ == Family::V4; }
    /// Address bits in network byte order; IPv4 uses the first 4 bytes, the rest are zero.
    const std::array<std::uint8_t, 16>& bytes() const { return bytes_; }
    /// 32 for IPv4, 128 for IPv6.
    int bitLength() const { return isV4() ? 32 : 128; }
    /// Canonical text: dotted quad, or RFC 5952 compressed IPv6.
    std::string toString() const;

    bool operator==(const IpAddress&) const = default;

private:
    Family family_ = Family::V4;
    std::array<std::uint8_t, 16> bytes_{};
};

class Cidr {
public:
    Cidr() = default;

    /// Parses "10.0.0.0/8", "fe80::/10", "::1/128" or a bare address (a /32 or /128).
    /// Bits set beyond the prefix are an error rather than silently masked, because
    /// "10.0.0.1/8" is usually a typo for a single host. Errors read
    /// "invalid CIDR '10.0.0.0/33': prefix length must be 0..32".
    static Result<Cidr> parse(std::string_view text);

    const IpAddress& network() const { return network_; }
    int prefixLength() const { return prefix_; }
    /// True if `address` is of the same family and its first prefixLength() bits match.
    bool contains(const IpAddress& address) const;
    /// "10.0.0.0/8"; a v4-mapped IPv6 block is shown in its IPv4 form.
    std::string toString() const;

    bool operator==(const Cidr&) const = default;

private:
    IpAddress network_;
    int prefix_ = 0;
};

} // namespace stagecast::base
