#pragma once
/// MSB-first bit reader for codec headers (H.264/H.265 RBSP, AV1 OBUs, MPEG-4 audio configs).
///
/// The reader is "sticky": a read past the end returns 0 and records the name of the first
/// field that did not fit, so a parser can read a run of fields and check `ok()` once before
/// it uses the values for anything that loops or allocates. This keeps parsers close to the
/// syntax tables of the specs without a branch after every field.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace stagecast::protocol::codec {

class BitReader {
public:
    explicit BitReader(std::span<const std::uint8_t> data) : data_(data) {}

    /// Reads `n` bits (0..32) as an unsigned value.
    std::uint32_t bits(unsigned n, const char* field);
    bool flag(const char* field) { return bits(1, field) != 0; }
    /// ue(v), ITU-T H.264 9.1 / H.265 9.2. Values above 2^32 - 2 are rejected as malformed.
    std::uint32_t ue(const char* field);
    /// se(v), ITU-T H.264 9.1.1.
    std::int32_t se(const char* field);
    /// uvlc(), AV1 4.10.3.
    std::uint32_t uvlc(const char* field);
    void skip(std::size_t n, const char* field);
    /// Advances to the next multiple of 8 bits from the start of the data.
    void byteAlign();

    std::size_t bitPosition() const { return pos_; }
    std::size_t bitsLeft() const { return failed_ ? 0 : data_.size() * 8 - pos_; }
    bool ok() const { return !failed_; }
    /// "truncated at <field> (bit 12 of 16)" or "<field>: exp-golomb code too long".
    const std::string& error() const { return error_; }

private:
    void failAt(const char* field, const char* what);

    std::span<const std::uint8_t> data_;
    std::size_t pos_ = 0;
    bool failed_ = false;
    std::string error_;
};

/// Removes H.264/H.265 emulation-prevention bytes (the 0x03 of every 00 00 03 sequence),
/// turning a NAL unit payload into its RBSP (H.264 7.4.1, H.265 7.4.2).
std::vector<std::uint8_t> nalToRbsp(std::span<const std::uint8_t> nal);

} // namespace stagecast::protocol::codec
