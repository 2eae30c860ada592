#pragma once
/// Bounds-checked big-endian reader over a borrowed byte span. Never reads past the end:
/// every getter returns std::nullopt when too few bytes remain, leaving the position unchanged.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace stagecast::base {

class ByteReader {
public:
    explicit ByteReader(std::span<const std::uint8_t> data) : data_(data) {}

    std::size_t position() const { return pos_; }
    std::size_t remaining() const { return data_.size() - pos_; }
    bool empty() const { return pos_ == data_.size(); }

    std::optional<std::uint8_t> u8();
    std::optional<std::uint16_t> u16be();
    std::optional<std::uint32_t> u24be();
    std::optional<std::uint32_t> u32be();
    std::optional<std::uint32_t> u32le();
    std::optional<std::uint64_t> u64be();
    std::optional<double> f64be();
    /// A view of the next `n` bytes; valid while the underlying span is.
    std::optional<std::span<const std::uint8_t>> bytes(std::size_t n);
    std::optional<std::string_view> string(std::size_t n);
    bool skip(std::size_t n);
    /// The bytes not yet read.
    std::span<const std::uint8_t> rest() const { return data_.subspan(pos_); }

private:
    std::span<const std::uint8_t> data_;
    std::size_t pos_ = 0;
};

} // namespace stagecast::base
