/// FlvReader: FLV 10.1 E.2 (header) and E.3 (body: PreviousTagSize / FLVTAG pairs).

#include <algorithm>
#include <string>

#include "Flv.h"

namespace stagecast::protocol::flv {
namespace {

constexpr std::size_t kFileHeaderSize = 9;
constexpr std::size_t kPreviousTagSizeSize = 4;
// Real files always use 9; the cap keeps a corrupt header from swallowing the stream.
constexpr std::uint32_t kMaxDataOffset = 65535;

std::uint32_t be24(const std::uint8_t* p) {
    return (std::uint32_t{p[0]} << 16) | (std::uint32_t{p[1]} << 8) | std::uint32_t{p[2]};
}

std::uint32_t be32(const std::uint8_t* p) {
    return (std::uint32_t{p[0]} << 24) | be24(p + 1);
}

} // namespace

base::Status FlvReader::feed(std::span<const std::uint8_t> data, std::vector<Tag>& out) {
    if (error_) {
        return base::fail(*error_);
    }
    std::size_t used = 0;
    base::Status status;
    if (pending_.empty()) {
        // Fast path: parse the caller's bytes in place and keep only an incomplete tail.
        status = parse(data, used, out);
        pending_.assign(data.begin() + static_cast<std::ptrdiff_t>(used), data.end());
    } else {
        // Appending is amortised O(1) and the consumed prefix is erased once per call, so
        // a large tag trickling in byte by byte costs O(size), not O(size^2).
        pending_.insert(pending_.end(), data.begin(), data.end());
        status = parse(pending_, used, out);
        pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(used));
    }
    streamOffset_ += used;
    if (!status) {
        error_ = status.error();
        pending_.clear();
        pending_.shrink_to_fit();
    }
    return status;
}

base::Status FlvReader::parse(std::span<const std::uint8_t> data, std::size_t& used,
                              std::vector<Tag>& out) {
    for (;;) {
        const std::span<const std::uint8_t> rest = data.subspan(used);
        const std::uint64_t offset = streamOffset_ + used;
        switch (stage_) {
        case Stage::Header: {
            if (rest.size() < kFileHeaderSize) {
                return {};
            }
            if (rest[0] != 'F' || rest[1] != 'L' || rest[2] != 'V') {
                return base::fail("flv: bad signature, expected \"FLV\" at offset 0");
            }
            if (rest[3] != 1) {
                return base::fail("flv: version " + std::to_string(rest[3]) +
                                  " unsupported, allowed 1");
            }
            const std::uint32_t dataOffset = be32(&rest[5]);
            if (dataOffset < kFileHeaderSize || dataOffset > kMaxDataOffset) {
                return base::fail("flv: header DataOffset " + std::to_string(dataOffset) +
                                  " invalid, allowed 9..65535");
            }
            hasAudio_ = (rest[4] & 0x04) != 0;
            hasVideo_ = (rest[4] & 0x01) != 0;
            headerSeen_ = true;
            paddingLeft_ = dataOffset - kFileHeaderSize;
            used += kFileHeaderSize;
            stage_ = Stage::HeaderPadding;
            break;
        }
        case Stage::HeaderPadding: {
            const std::size_t n =
                static_cast<std::size_t>(std::min<std::uint64_t>(paddingLeft_, rest.size()));
            used += n;
            paddingLeft_ -= n;
            if (paddingLeft_ > 0) {
                return {};
            }
            lastTagSize_ = 0;
            stage_ = Stage::PreviousTagSize;
            break;
        }
        case Stage::PreviousTagSize: {
            if (rest.size() < kPreviousTagSizeSize) {
                return {};
            }
            const std::uint32_t previous = be32(rest.data());
            if (previous != lastTagSize_) {
                return base::fail(
                    "flv: PreviousTagSize " + std::to_string(previous) + " at offset " +
                    std::to_string(offset) + " invalid, expected " + std::to_string(lastTagSize_) +
                    (lastTagSize_ == 0 ? " (PreviousTagSize0)" : " (11 + previous tag data size)"));
            }
            used += kPreviousTagSizeSize;
            stage_ = Stage::TagHeader;
            break;
        }
        case Stage::TagHeader: {
            if (rest.size() < kTagHeaderSize) {
                return {};
            }
            // Reserved:2, Filter:1, TagType:5 (E.4.1).
            if ((rest[0] & 0x20) != 0) {
                return base::fail("flv: encrypted tags unsupported (filter bit set at offset " +
                                  std::to_string(offset) + ")");
            }
            const std::uint8_t type = rest[0] & 0x1F;
            if (type != 8 && type != 9 && type != 18) {
                return base::fail("flv: tag type " + std::to_string(type) + " at offset " +
                                  std::to_string(offset) +
                                  " invalid, allowed 8 (audio), 9 (video), 18 (script)");
            }
            const std::uint32_t size = be24(&rest[1]);
            if (size > limits_.maxTagSize) {
                return base::fail("flv: tag size " + std::to_string(size) + " at offset " +
                                  std::to_string(offset) + " exceeds the limit of " +
                                  std::to_string(limits_.maxTagSize) + " bytes");
            }
            // Wait for the whole tag before consuming its header so a split never loses it.
            if (rest.size() < kTagHeaderSize + size) {
                return {};
            }
            Tag tag;
            tag.type = static_cast<TagType>(type);
            tag.timestampMs = be24(&rest[4]) | (std::uint32_t{rest[7]} << 24);
            const auto body = rest.subspan(kTagHeaderSize, size);
            tag.body.assign(body.begin(), body.end());
            out.push_back(std::move(tag));
            used += kTagHeaderSize + size;
            lastTagSize_ = static_cast<std::uint32_t>(kTagHeaderSize) + size;
            stage_ = Stage::PreviousTagSize;
            break;
        }
        }
    }
}

} // namespace stagecast::protocol::flv
