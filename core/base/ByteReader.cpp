#include "ByteReader.h"

#include <bit>
#include <cstring>

namespace stagecast::base {

std::optional<std::uint8_t> ByteReader::u8() {
    if (remaining() < 1) {
        return std::nullopt;
    }
    return data_[pos_++];
}

std::optional<std::uint16_t> ByteReader::u16be() {
    if (remaining() < 2) {
        return std::nullopt;
    }
    auto v = static_cast<std::uint16_t>((data_[pos_] << 8) | data_[pos_ + 1]);
    pos_ += 2;
    return v;
}

std::optional<std::uint32_t> ByteReader::u24be() {
    if (remaining() < 3) {
        return std::nullopt;
    }
    std::uint32_t v = (std::uint32_t{data_[pos_]} << 16) | (std::uint32_t{data_[pos_ + 1]} << 8) |
                      std::uint32_t{data_[pos_ + 2]};
    pos_ += 3;
    return v;
}

std::optional<std::uint32_t> ByteReader::u32be() {
    if (remaining() < 4) {
        return std::nullopt;
    }
    std::uint32_t v = (std::uint32_t{data_[pos_]} << 24) | (std::uint32_t{data_[pos_ + 1]} << 16) |
                      (std::uint32_t{data_[pos_ + 2]} << 8) | std::uint32_t{data_[pos_ + 3]};
    pos_ += 4;
    return v;
}

std::optional<std::uint32_t> ByteReader::u32le() {
    if (remaining() < 4) {
        return std::nullopt;
    }
    std::uint32_t v = std::uint32_t{data_[pos_]} | (std::uint32_t{data_[pos_ + 1]} << 8) |
                      (std::uint32_t{data_[pos_ + 2]} << 16) |
                      (std::uint32_t{data_[pos_ + 3]} << 24);
    pos_ += 4;
    return v;
}

std::optional<std::uint64_t> ByteReader::u64be() {
    if (remaining() < 8) {
        return std::nullopt;
    }
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) {
        v = (v << 8) | data_[pos_ + static_cast<std::size_t>(i)];
    }
    pos_ += 8;
    return v;
}

std::optional<double> ByteReader::f64be() {
    auto bits = u64be();
    if (!bits) {
        return std::nullopt;
    }
    return std::bit_cast<double>(*bits);
}

std::optional<std::span<const std::uint8_t>> ByteReader::bytes(std::size_t n) {
    if (remaining() < n) {
        return std::nullopt;
    }
    auto view = data_.subspan(pos_, n);
    pos_ += n;
    return view;
}

std::optional<std::string_view> ByteReader::string(std::size_t n) {
    auto view = bytes(n);
    if (!view) {
        return std::nullopt;
    }
    return std::string_view(reinterpret_cast<const char*>(view->data()), view->size());
}

bool ByteReader::skip(std::size_t n) {
    if (remaining() < n) {
        return false;
    }
    pos_ += n;
    return true;
}

} // namespace stagecast::base
