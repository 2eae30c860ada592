#include "HlsKeys.h"

#include <algorithm>

namespace stagecast::server::hls {

std::string toHex(std::span<const std::uint8_t> bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (auto b : bytes) {
        out += kDigits[b >> 4];
        out += kDigits[b & 0x0f];
    }
    return out;
}

base::Result<std::shared_ptr<const HlsKey>> HlsKeys::keyFor(std::uint64_t sequence) {
    if (rotateSegments_ > 0 && segmentsOnKey_ >= rotateSegments_) {
        due_ = true;
    }
    if (due_ || keys_.empty()) {
        auto bytes = random16();
        auto id = random16();
        if (!bytes || !id) {
            return base::fail(!bytes ? bytes.error() : id.error());
        }
        auto key = std::make_shared<HlsKey>();
        key->bytes = *bytes;
        key->id = toHex(std::span(*id).first(8));
        keys_.push_back({key, sequence});
        new_.push_back(std::move(key));
        segmentsOnKey_ = 0;
        due_ = false;
    }
    ++segmentsOnKey_;
    keys_.back().lastSequence = sequence;
    return std::shared_ptr<const HlsKey>(keys_.back().key);
}

std::vector<std::shared_ptr<HlsKey>> HlsKeys::retire(std::uint64_t firstKept) {
    std::vector<std::shared_ptr<HlsKey>> gone;
    // The newest key stays: the next segment may still use it.
    while (keys_.size() > 1 && keys_.front().lastSequence < firstKept) {
        gone.push_back(std::move(keys_.front().key));
        keys_.pop_front();
    }
    return gone;
}

std::vector<std::shared_ptr<HlsKey>> HlsKeys::takeNew() {
    std::vector<std::shared_ptr<HlsKey>> out;
    out.swap(new_);
    return out;
}

std::vector<std::shared_ptr<HlsKey>> HlsKeys::all() const {
    std::vector<std::shared_ptr<HlsKey>> out;
    for (const auto& k : keys_) {
        out.push_back(k.key);
    }
    return out;
}

std::shared_ptr<const HlsKey> HlsKeys::find(std::string_view id) const {
    auto it =
        std::find_if(keys_.begin(), keys_.end(), [id](const InUse& k) { return k.key->id == id; });
    return it == keys_.end() ? nullptr : it->key;
}

} // namespace stagecast::server::hls
