#pragma once
/// The AES-128 keys of one stream's encrypted HLS, and when they rotate.
///
/// A key is 16 bytes from the CSPRNG with a random id (which names its URL and file, and
/// says nothing about the bytes). A new key starts every `rotateSegments` segments, or only
/// at rotate() (a new publisher on the stream) when that is 0. A key is kept while a segment
/// that uses it is kept; retire() hands back the keys that no kept segment uses, so their
/// files can be deleted.
///
/// Single-threaded: the owner (the packager) calls it under its own lock. HlsKey::stored is
/// the one field written from elsewhere (the key store's thread).

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/Result.h"
#include "server/hls/SegmentCipher.h"

namespace stagecast::server::hls {

struct HlsKey {
    std::string id; // 16 lowercase hex characters
    Aes128Key bytes{};
    /// True once the key file is on disk: a playlist lists a segment only when its key is
    /// stored, so the file always exists before a playlist refers to it.
    std::atomic<bool> stored{false};
};

class HlsKeys {
public:
    explicit HlsKeys(std::size_t rotateSegments) : rotateSegments_(rotateSegments) {}

    /// The key for the next segment, `sequence` (called once per segment, in order): a new
    /// one when rotation is due. Fails only when the random generator does.
    base::Result<std::shared_ptr<const HlsKey>> keyFor(std::uint64_t sequence);
    /// The next segment starts a new key.
    void rotate() { due_ = true; }
    /// Forgets the keys that no segment from `firstKept` on uses, and returns them.
    std::vector<std::shared_ptr<HlsKey>> retire(std::uint64_t firstKept);
    /// The keys made since the last call (to be written to disk).
    std::vector<std::shared_ptr<HlsKey>> takeNew();
    /// Every key still in use (to be deleted when packaging stops).
    std::vector<std::shared_ptr<HlsKey>> all() const;
    /// A key still in use, or null.
    std::shared_ptr<const HlsKey> find(std::string_view id) const;

private:
    struct InUse {
        std::shared_ptr<HlsKey> key;
        std::uint64_t lastSequence = 0;
    };
    const std::size_t rotateSegments_;
    std::deque<InUse> keys_;
    std::size_t segmentsOnKey_ = 0;
    bool due_ = true;
    std::vector<std::shared_ptr<HlsKey>> new_;
};

/// Lowercase hex of `bytes` (key ids; tests).
std::string toHex(std::span<const std::uint8_t> bytes);

} // namespace stagecast::server::hls
