#pragma once
/// Test-only MSB-first bit writer used to build synthetic parameter sets field by field, so
/// the tests read like the syntax tables of the specs (every call names its field).

#include <cstdint>
#include <vector>

namespace stagecast::test {

class BitWriter {
public:
    void bits(std::uint64_t value, unsigned n) {
        for (unsigned i = n; i-- > 0;) {
            bit(((value >> i) & 1U) != 0);
        }
    }
    void flag(bool value) { bit(value); }
    /// ue(v): 2^k - 1 + suffix with k leading zeros.
    void ue(std::uint32_t value) {
        const std::uint64_t v = std::uint64_t{value} + 1;
        unsigned len = 0;
        while ((v >> len) > 1) {
            ++len;
        }
        bits(0, len);
        bits(v, len + 1);
    }
    void se(std::int32_t value) {
        ue(value > 0 ? static_cast<std::uint32_t>(2 * value - 1)
                     : static_cast<std::uint32_t>(-2 * static_cast<std::int64_t>(value)));
    }
    /// rbsp_trailing_bits(): a one, then zeros up to the byte boundary.
    void trailingBits() {
        bit(true);
        while (count_ % 8 != 0) {
            bit(false);
        }
    }
    /// Pads with zeros up to the byte boundary.
    void align() {
        while (count_ % 8 != 0) {
            bit(false);
        }
    }
    const std::vector<std::uint8_t>& bytes() const { return bytes_; }

private:
    void bit(bool b) {
        if (count_ % 8 == 0) {
            bytes_.push_back(0);
        }
        if (b) {
            bytes_.back() = static_cast<std::uint8_t>(bytes_.back() | (0x80U >> (count_ % 8)));
        }
        ++count_;
    }

    std::vector<std::uint8_t> bytes_;
    std::size_t count_ = 0;
};

/// Inserts emulation-prevention bytes (00 00 0x with x <= 3 becomes 00 00 03 0x), turning an
/// RBSP into a NAL unit payload as an encoder would.
inline std::vector<std::uint8_t> addEmulationPrevention(const std::vector<std::uint8_t>& rbsp) {
    std::vector<std::uint8_t> out;
    unsigned zeros = 0;
    for (const std::uint8_t b : rbsp) {
        if (zeros >= 2 && b <= 3) {
            out.push_back(0x03);
            zeros = 0;
        }
        out.push_back(b);
        zeros = b == 0 ? zeros + 1 : 0;
    }
    return out;
}

} // namespace stagecast::test
