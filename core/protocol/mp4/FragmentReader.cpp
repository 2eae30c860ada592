#include "protocol/mp4/FragmentReader.h"

#include <algorithm>
#include <optional>
#include <string>

namespace stagecast::protocol::mp4 {

namespace {

/// A bounds-checked big-endian cursor over one box's payload.
class Cursor {
public:
    explicit Cursor(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}
    std::size_t left() const { return bytes_.size() - at_; }
    bool u32(std::uint32_t& v) {
        if (left() < 4) {
            return false;
        }
        v = 0;
        for (int i = 0; i < 4; ++i) {
            v = (v << 8) | bytes_[at_++];
        }
        return true;
    }
    bool u64(std::uint64_t& v) {
        std::uint32_t hi = 0;
        std::uint32_t lo = 0;
        if (!u32(hi) || !u32(lo)) {
            return false;
        }
        v = (std::uint64_t{hi} << 32) | lo;
        return true;
    }

private:
    std::span<const std::uint8_t> bytes_;
    std::size_t at_ = 0;
};

struct Box {
    std::uint32_t type = 0;
    std::span<const std::uint8_t> payload;
};

constexpr std::uint32_t fourcc(const char (&s)[5]) {
    return (std::uint32_t(std::uint8_t(s[0])) << 24) | (std::uint32_t(std::uint8_t(s[1])) << 16) |
           (std::uint32_t(std::uint8_t(s[2])) << 8) | std::uint32_t(std::uint8_t(s[3]));
}

std::string typeName(std::uint32_t type) {
    std::string out(4, '?');
    for (int i = 0; i < 4; ++i) {
        const auto c = static_cast<char>((type >> (24 - 8 * i)) & 0xff);
        out[static_cast<std::size_t>(i)] = c >= 0x20 && c < 0x7f ? c : '?';
    }
    return out;
}

/// The boxes of `bytes`, in order (14496-12 4.2: size 1 = 64-bit size, 0 = to the end).
base::Result<std::vector<Box>> boxes(std::span<const std::uint8_t> bytes) {
    std::vector<Box> out;
    std::size_t at = 0;
    while (at < bytes.size()) {
        Cursor c(bytes.subspan(at));
        std::uint32_t size32 = 0;
        Box box;
        if (!c.u32(size32) || !c.u32(box.type)) {
            return base::fail("box header: 8 bytes needed, " + std::to_string(bytes.size() - at) +
                              " left");
        }
        std::uint64_t size = size32;
        std::size_t header = 8;
        if (size32 == 1) {
            if (!c.u64(size)) {
                return base::fail(typeName(box.type) + ": truncated 64-bit size");
            }
            header = 16;
        } else if (size32 == 0) {
            size = bytes.size() - at;
        }
        if (size < header || size > bytes.size() - at) {
            return base::fail(typeName(box.type) + ": size " + std::to_string(size) +
                              " does not fit the " + std::to_string(bytes.size() - at) +
                              " bytes left");
        }
        box.payload = bytes.subspan(at + header, static_cast<std::size_t>(size) - header);
        out.push_back(box);
        at += static_cast<std::size_t>(size);
    }
    return out;
}

struct TrackDefaults {
    std::uint32_t trackId = 0;
    std::optional<std::uint32_t> duration, size, flags;
};

/// `budget`: samples still allowed (each real sample has at least one byte of data, so a
/// trun may not claim more samples than the input has bytes: no memory from a 12-byte box).
base::Status readTraf(std::span<const std::uint8_t> traf, std::vector<FragmentSample>& out,
                      std::size_t budget) {
    auto children = boxes(traf);
    if (!children) {
        return base::fail("traf: " + children.error().message());
    }
    TrackDefaults d;
    bool haveTfhd = false;
    std::optional<std::uint64_t> decodeTime;
    for (const auto& box : *children) {
        Cursor c(box.payload);
        std::uint32_t versionFlags = 0;
        if (box.type == fourcc("tfhd")) {
            std::uint64_t skip64 = 0;
            std::uint32_t skip32 = 0;
            std::uint32_t v = 0;
            if (!c.u32(versionFlags) || !c.u32(d.trackId) ||
                ((versionFlags & 0x01) && !c.u64(skip64)) ||
                ((versionFlags & 0x02) && !c.u32(skip32))) {
                return base::fail("tfhd: truncated");
            }
            if (versionFlags & 0x08) {
                if (!c.u32(v)) {
                    return base::fail("tfhd: truncated");
                }
                d.duration = v;
            }
            if (versionFlags & 0x10) {
                if (!c.u32(v)) {
                    return base::fail("tfhd: truncated");
                }
                d.size = v;
            }
            if (versionFlags & 0x20) {
                if (!c.u32(v)) {
                    return base::fail("tfhd: truncated");
                }
                d.flags = v;
            }
            haveTfhd = true;
        } else if (box.type == fourcc("tfdt")) {
            std::uint64_t t = 0;
            std::uint32_t t32 = 0;
            if (!c.u32(versionFlags)) {
                return base::fail("tfdt: truncated");
            }
            if ((versionFlags >> 24) == 1) {
                if (!c.u64(t)) {
                    return base::fail("tfdt: truncated");
                }
            } else {
                if (!c.u32(t32)) {
                    return base::fail("tfdt: truncated");
                }
                t = t32;
            }
            decodeTime = t;
        } else if (box.type == fourcc("trun")) {
            if (!haveTfhd || !decodeTime) {
                return base::fail("trun: before tfhd and tfdt");
            }
            std::uint32_t count = 0;
            std::uint32_t skip = 0;
            std::uint32_t firstFlags = 0;
            if (!c.u32(versionFlags) || !c.u32(count) || ((versionFlags & 0x001) && !c.u32(skip)) ||
                ((versionFlags & 0x004) && !c.u32(firstFlags))) {
                return base::fail("trun: truncated header");
            }
            const std::size_t perSample =
                4 * (((versionFlags >> 8) & 1) + ((versionFlags >> 9) & 1) +
                     ((versionFlags >> 10) & 1) + ((versionFlags >> 11) & 1));
            if (count > budget - std::min(budget, out.size())) {
                return base::fail("trun: " + std::to_string(count) +
                                  " samples claimed, more than the input's " +
                                  std::to_string(budget) + " bytes can hold");
            }
            if (perSample * count > c.left()) {
                return base::fail("trun: " + std::to_string(count) + " samples need " +
                                  std::to_string(perSample * count) + " bytes, " +
                                  std::to_string(c.left()) + " left");
            }
            for (std::uint32_t i = 0; i < count; ++i) {
                std::uint32_t duration = d.duration.value_or(0);
                std::uint32_t size = d.size.value_or(0);
                std::uint32_t flags = d.flags.value_or(0);
                std::uint32_t cts = 0;
                if (versionFlags & 0x100) {
                    c.u32(duration);
                }
                if (versionFlags & 0x200) {
                    c.u32(size);
                }
                if (versionFlags & 0x400) {
                    c.u32(flags);
                } else if (i == 0 && (versionFlags & 0x004)) {
                    flags = firstFlags;
                }
                if (versionFlags & 0x800) {
                    c.u32(cts);
                }
                FragmentSample s;
                s.trackId = d.trackId;
                s.decodeTime = *decodeTime;
                // Version 1 offsets are signed; version 0 ones unsigned (kept if they fit).
                s.ctsOffset = static_cast<std::int32_t>(cts);
                s.size = size;
                s.sync = (flags & 0x10000) == 0;
                out.push_back(s);
                *decodeTime += duration;
            }
        }
    }
    return {};
}

} // namespace

base::Result<std::vector<FragmentSample>> readFragmentSamples(std::span<const std::uint8_t> bytes) {
    auto top = boxes(bytes);
    if (!top) {
        return base::fail(top.error());
    }
    std::vector<FragmentSample> out;
    for (const auto& box : *top) {
        if (box.type != fourcc("moof")) {
            continue;
        }
        auto children = boxes(box.payload);
        if (!children) {
            return base::fail("moof: " + children.error().message());
        }
        for (const auto& child : *children) {
            if (child.type == fourcc("traf")) {
                if (auto ok = readTraf(child.payload, out, bytes.size()); !ok) {
                    return base::fail(ok.error());
                }
            }
        }
    }
    return out;
}

} // namespace stagecast::protocol::mp4
