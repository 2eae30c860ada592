#pragma once
/// De-chunks an RTMP byte stream into messages (RTMP specification 1.0 section 5.3).
/// Handles all four header formats, chunk stream ids 2..65599, extended timestamps (also
/// repeated on type-3 continuation chunks, as FMS and ffmpeg send them), timestamp deltas,
/// interleaved chunk streams, and applies Set Chunk Size (type 1) and Abort (type 2) itself
/// because they change how the following bytes are read; those messages are still returned.
/// Every buffer a peer can grow is bounded by Limits. Sans-I/O, single-threaded.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "base/Result.h"
#include "protocol/rtmp/Message.h"

namespace stagecast::protocol::rtmp {

struct ChunkReaderLimits {
    std::uint32_t maxMessageSize = 16 * 1024 * 1024; // bytes; larger lengths are an error
    std::uint32_t maxChunkSize = 0xFFFFFF;           // Set Chunk Size above this is an error
    std::uint32_t maxChunkStreams = 64;              // distinct live chunk stream ids
};

class ChunkReader {
public:
    using Sink = std::function<void(Message&&)>;

    explicit ChunkReader(ChunkReaderLimits limits = {});

    /// Parses all complete chunks in `data`, calling `sink` for each completed message, and
    /// buffers the incomplete tail internally (so `data` may be split at any byte); all of
    /// `data` is consumed on success. After an error the reader is
    /// unusable; the message names the problem ("rtmp: chunk size 0 invalid, allowed
    /// 1..16777215").
    base::Status feed(std::span<const std::uint8_t> data, const Sink& sink);

    std::uint32_t chunkSize() const { return chunkSize_; }
    /// Total bytes fed so far (for Acknowledgement, section 5.4.3).
    std::uint64_t bytesReceived() const { return bytesReceived_; }

private:
    struct ChunkStream {
        MessageHeader header;
        /// The last type 0/1/2 timestamp field (a type-0 field counts as the delta too, as
        /// ffmpeg and SRS read it); a type-3 chunk that starts a message adds it again.
        std::uint32_t timestampDelta = 0;
        /// The last type 0/1/2 header carried an extended timestamp, so type-3 chunks do too.
        bool extended = false;
        /// A message is partly assembled in `payload`.
        bool inProgress = false;
        std::vector<std::uint8_t> payload;
    };
    base::Status feedChunks(std::span<const std::uint8_t> data, const Sink& sink);
    base::Result<std::size_t> parseChunk(std::span<const std::uint8_t> in, std::size_t& need,
                                         const Sink& sink);
    base::Status deliver(std::uint32_t chunkStreamId, ChunkStream& stream, const Sink& sink);
    ChunkStream* find(std::uint32_t chunkStreamId);

    ChunkReaderLimits limits_;
    std::uint32_t chunkSize_ = 128;
    std::uint64_t bytesReceived_ = 0;
    /// At most one incomplete chunk (header + payload) carried over between feeds.
    std::vector<std::uint8_t> pending_;
    /// Streams are never removed; indices stay valid, and copies of the reader stay sound.
    std::vector<ChunkStream> streams_;
    std::unordered_map<std::uint32_t, std::uint32_t> index_; // chunk stream id -> streams_
    /// One-entry lookup cache: media arrives in runs on the same chunk stream (id 0 is never
    /// a real chunk stream id).
    std::uint32_t cachedId_ = 0;
    std::uint32_t cachedIndex_ = 0;
    std::optional<base::Error> error_;
};

} // namespace stagecast::protocol::rtmp
