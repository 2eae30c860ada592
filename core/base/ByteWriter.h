#pragma once
/// Big-endian writer that appends to a caller-owned byte vector.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace stagecast::base {

class ByteWriter {
public:
    explicit ByteWriter(std::vector<std::uint8_t>& out) : out_(out) {}

    void u8(std::uint8_t v) { out_.push_back(v); }
    void u16be(std::uint16_t v);
    void u24be(std::uint32_t v);
    void u32be(std::uint32_t v);
    void u32le(std::uint32_t v);
    void f64be(double v);
    void bytes(std::span<const std::uint8_t> data);
    void string(std::string_view s);
    std::size_t size() const { return out_.size(); }

private:
    std::vector<std::uint8_t>& out_;
};

} // namespace stagecast::base
