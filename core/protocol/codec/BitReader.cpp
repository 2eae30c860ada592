#include "BitReader.h"

namespace stagecast::protocol::codec {

void BitReader::failAt(const char* field, const char* what) {
    if (failed_) {
        return;
    }
    failed_ = true;
    error_ = std::string(field) + ": " + what + " (bit " + std::to_string(pos_) + " of " +
             std::to_string(data_.size() * 8) + ")";
}

std::uint32_t BitReader::bits(unsigned n, const char* field) {
    if (failed_) {
        return 0;
    }
    if (n > 32) {
        failAt(field, "field wider than 32 bits");
        return 0;
    }
    if (n > data_.size() * 8 - pos_) {
        failAt(field, "truncated");
        return 0;
    }
    std::uint64_t v = 0;
    for (unsigned i = 0; i < n; ++i) {
        const std::size_t byte = (pos_ + i) / 8;
        const unsigned shift = 7 - static_cast<unsigned>((pos_ + i) % 8);
        v = (v << 1) | ((data_[byte] >> shift) & 1U);
    }
    pos_ += n;
    return static_cast<std::uint32_t>(v);
}

std::uint32_t BitReader::ue(const char* field) {
    unsigned zeros = 0;
    while (!failed_ && bits(1, field) == 0) {
        if (failed_) {
            return 0;
        }
        if (++zeros > 31) {
            failAt(field, "exp-golomb code too long");
            return 0;
        }
    }
    if (failed_) {
        return 0;
    }
    const std::uint64_t v = ((std::uint64_t{1} << zeros) - 1) + bits(zeros, field);
    return failed_ ? 0 : static_cast<std::uint32_t>(v);
}

std::int32_t BitReader::se(const char* field) {
    const std::uint32_t k = ue(field);
    // 9.1.1: k = 1, 2, 3, 4 ... maps to 1, -1, 2, -2 ...
    const std::int64_t magnitude = (std::int64_t{k} + 1) / 2;
    return static_cast<std::int32_t>((k & 1U) != 0 ? magnitude : -magnitude);
}

std::uint32_t BitReader::uvlc(const char* field) {
    unsigned zeros = 0;
    while (!failed_ && bits(1, field) == 0) {
        ++zeros;
        if (zeros >= 32 && !failed_) {
            // AV1 4.10.3: 32 or more leading zeros decode as 2^32 - 1; the spec still
            // consumes the ones that follow, which are never produced by real encoders.
            failAt(field, "uvlc code too long");
            return 0;
        }
    }
    if (failed_) {
        return 0;
    }
    const std::uint64_t v = bits(zeros, field) + ((std::uint64_t{1} << zeros) - 1);
    return failed_ ? 0 : static_cast<std::uint32_t>(v);
}

void BitReader::skip(std::size_t n, const char* field) {
    if (failed_) {
        return;
    }
    if (n > data_.size() * 8 - pos_) {
        failAt(field, "truncated");
        return;
    }
    pos_ += n;
}

void BitReader::byteAlign() {
    if (!failed_) {
        pos_ = (pos_ + 7) / 8 * 8;
    }
}

std::vector<std::uint8_t> nalToRbsp(std::span<const std::uint8_t> nal) {
    std::vector<std::uint8_t> out;
    out.reserve(nal.size());
    unsigned zeros = 0;
    for (const std::uint8_t b : nal) {
        if (zeros >= 2 && b == 0x03) {
            zeros = 0;
            continue;
        }
        zeros = b == 0 ? zeros + 1 : 0;
        out.push_back(b);
    }
    return out;
}

} // namespace stagecast::protocol::codec
