#include "ChunkReader.h"

#include <algorithm>
#include <string>

namespace stagecast::protocol::rtmp {

namespace {

constexpr std::uint32_t kExtendedMarker = 0xFFFFFF;
// Message header sizes of chunk types 0..3 (section 5.3.1.2).
constexpr std::size_t kMessageHeaderSize[4] = {11, 7, 3, 0};
// A message's buffer starts at most this big and then doubles up to the declared length, so
// a peer that only announces large messages cannot make us allocate them.
constexpr std::size_t kInitialReserve = 64 * 1024;

std::uint32_t u24be(const std::uint8_t* p) {
    return (std::uint32_t{p[0]} << 16) | (std::uint32_t{p[1]} << 8) | std::uint32_t{p[2]};
}

std::uint32_t u32be(const std::uint8_t* p) {
    return (std::uint32_t{p[0]} << 24) | u24be(p + 1);
}

std::uint32_t u32le(const std::uint8_t* p) {
    return std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) | (std::uint32_t{p[2]} << 16) |
           (std::uint32_t{p[3]} << 24);
}

std::string str(std::uint64_t v) {
    return std::to_string(v);
}

} // namespace

ChunkReader::ChunkReader(ChunkReaderLimits limits) : limits_(limits) {}

base::Status ChunkReader::feed(std::span<const std::uint8_t> data, const Sink& sink) {
    if (error_) {
        return base::fail(*error_);
    }
    bytesReceived_ += data.size();
    auto status = feedChunks(data, sink);
    if (!status) {
        error_ = status.error();
        pending_ = {};
        streams_ = {};
        index_ = {};
        cachedId_ = 0;
    }
    return status;
}

// Chunks are parsed in place from `data`; only an incomplete chunk at the end is copied to
// pending_, and the next feed tops pending_ up just to the end of that chunk before going
// back to parsing in place. So pending_ never holds more than one chunk.
base::Status ChunkReader::feedChunks(std::span<const std::uint8_t> data, const Sink& sink) {
    std::size_t offset = 0;
    while (!pending_.empty()) {
        std::size_t need = 0;
        auto consumed = parseChunk(pending_, need, sink);
        if (!consumed) {
            return base::fail(consumed.error());
        }
        if (*consumed > 0) {
            pending_.clear();
            break;
        }
        const std::size_t take = std::min(need - pending_.size(), data.size() - offset);
        if (take == 0) {
            return {};
        }
        pending_.insert(pending_.end(), data.begin() + static_cast<std::ptrdiff_t>(offset),
                        data.begin() + static_cast<std::ptrdiff_t>(offset + take));
        offset += take;
    }
    while (offset < data.size()) {
        std::size_t need = 0;
        auto consumed = parseChunk(data.subspan(offset), need, sink);
        if (!consumed) {
            return base::fail(consumed.error());
        }
        if (*consumed == 0) {
            pending_.assign(data.begin() + static_cast<std::ptrdiff_t>(offset), data.end());
            return {};
        }
        offset += *consumed;
    }
    return {};
}

ChunkReader::ChunkStream* ChunkReader::find(std::uint32_t chunkStreamId) {
    if (chunkStreamId == cachedId_ && cachedId_ != 0) {
        return &streams_[cachedIndex_];
    }
    auto it = index_.find(chunkStreamId);
    if (it == index_.end()) {
        return nullptr;
    }
    cachedId_ = chunkStreamId;
    cachedIndex_ = it->second;
    return &streams_[it->second];
}

// Parses one chunk (section 5.3.1) at the start of `in`. Nothing changes until the whole chunk
// is there: with too few bytes it returns 0 and sets `need` to the chunk size known so far, so
// the same bytes can be parsed again once more have arrived.
base::Result<std::size_t> ChunkReader::parseChunk(std::span<const std::uint8_t> in,
                                                  std::size_t& need, const Sink& sink) {
    const std::uint8_t* p = in.data();
    const std::size_t avail = in.size();
    if (avail < 1) {
        need = 1;
        return 0;
    }
    // Basic header (5.3.1.1): 6-bit id 0 and 1 select the 2- and 3-byte forms.
    const std::uint32_t fmt = p[0] >> 6;
    std::uint32_t csid = p[0] & 0x3F;
    std::size_t pos = 1;
    if (csid == 0) {
        if (avail < 2) {
            need = 2;
            return 0;
        }
        csid = 64 + std::uint32_t{p[1]};
        pos = 2;
    } else if (csid == 1) {
        if (avail < 3) {
            need = 3;
            return 0;
        }
        csid = 64 + std::uint32_t{p[1]} + (std::uint32_t{p[2]} << 8);
        pos = 3;
    }
    const std::size_t headerEnd = pos + kMessageHeaderSize[fmt];
    if (avail < headerEnd) {
        need = headerEnd;
        return 0;
    }

    ChunkStream* stream = find(csid);
    if (stream == nullptr) {
        // Types 1..3 inherit fields from an earlier header on the same chunk stream.
        if (fmt != 0) {
            return base::fail("rtmp: chunk stream " + str(csid) + " starts with a type-" +
                              str(fmt) + " header");
        }
        if (streams_.size() >= limits_.maxChunkStreams) {
            return base::fail("rtmp: chunk stream " + str(csid) + " exceeds the limit of " +
                              str(limits_.maxChunkStreams) + " chunk streams");
        }
    }

    // Message header (5.3.1.2).
    std::uint32_t timestampField = 0;
    std::uint32_t length = 0;
    std::uint8_t typeId = 0;
    std::uint32_t streamId = 0;
    if (fmt <= 2) {
        timestampField = u24be(p + pos);
    }
    if (fmt <= 1) {
        length = u24be(p + pos + 3);
        typeId = p[pos + 6];
        if (length > limits_.maxMessageSize) {
            return base::fail("rtmp: message length " + str(length) + " on chunk stream " +
                              str(csid) + " exceeds the limit of " + str(limits_.maxMessageSize) +
                              " bytes");
        }
    }
    if (fmt == 0) {
        streamId = u32le(p + pos + 7);
    }
    pos = headerEnd;

    // Extended timestamp (5.3.1.3): present when the 24-bit field is 0xFFFFFF, and on type-3
    // chunks after such a header (FMS and ffmpeg repeat it on continuation chunks; as in
    // nginx-rtmp and SRS, a type-3 chunk starting a new message carries it too).
    const bool extended = fmt == 3 ? stream->extended : timestampField == kExtendedMarker;
    std::uint32_t extendedTimestamp = 0;
    if (extended) {
        if (avail < pos + 4) {
            need = pos + 4;
            return 0;
        }
        extendedTimestamp = u32be(p + pos);
        pos += 4;
    }

    const bool inProgress = stream != nullptr && stream->inProgress;
    // Like SRS, a type 0/1/2 header inside a message is taken as a continuation chunk that
    // updates the header, but it must not change the length of the message being assembled.
    if (inProgress && fmt <= 1 && length != stream->header.length) {
        return base::fail("rtmp: chunk stream " + str(csid) + " changed the message length from " +
                          str(stream->header.length) + " to " + str(length) + " after " +
                          str(stream->payload.size()) + " bytes");
    }
    const std::uint32_t messageLength = fmt <= 1 ? length : stream->header.length;
    const std::size_t received = inProgress ? stream->payload.size() : 0;
    const std::size_t n = std::min<std::size_t>(chunkSize_, messageLength - received);
    if (avail < pos + n) {
        need = pos + n;
        return 0;
    }

    // The chunk is complete: commit.
    if (stream == nullptr) {
        cachedId_ = csid;
        cachedIndex_ = static_cast<std::uint32_t>(streams_.size());
        index_.emplace(csid, cachedIndex_);
        stream = &streams_.emplace_back();
    }
    MessageHeader& header = stream->header;
    if (fmt <= 2) {
        const std::uint32_t field = extended ? extendedTimestamp : timestampField;
        if (fmt == 0) {
            header.timestamp = field;
            header.streamId = streamId;
        } else {
            header.timestamp += field; // modulo 2^32: RTMP timestamps wrap
        }
        if (fmt <= 1) {
            header.typeId = typeId;
            header.length = length;
        }
        // The field of a type-0 header is stored as the delta too: a type-3 chunk that starts
        // the next message adds it again, as ffmpeg's and SRS's readers do (and ffmpeg's
        // writer relies on).
        stream->timestampDelta = field;
        stream->extended = extended;
    } else if (!inProgress) {
        // Type 3 starting a new message (5.3.1.2.4): same length, type and stream; the
        // timestamp advances by the previous delta, or by the extended field when present.
        if (extended) {
            stream->timestampDelta = extendedTimestamp;
        }
        header.timestamp += stream->timestampDelta;
    }
    if (!inProgress) {
        stream->inProgress = true;
        stream->payload.clear();
    }
    if (n > 0) {
        auto& payload = stream->payload;
        if (payload.capacity() < payload.size() + n) {
            const std::size_t grown =
                std::max(payload.size() + n, std::max(2 * payload.capacity(), kInitialReserve));
            payload.reserve(std::min<std::size_t>(grown, header.length));
        }
        payload.insert(payload.end(), p + pos, p + pos + n);
    }
    if (stream->payload.size() == header.length) {
        auto delivered = deliver(csid, *stream, sink);
        if (!delivered) {
            return base::fail(delivered.error());
        }
    }
    return pos + n;
}

// Hands a complete message to the sink, first applying the two control messages that change
// how the following chunks are read (sections 5.4.1 and 5.4.2).
base::Status ChunkReader::deliver(std::uint32_t chunkStreamId, ChunkStream& stream,
                                  const Sink& sink) {
    Message message;
    message.chunkStreamId = chunkStreamId;
    message.header = stream.header;
    message.payload = std::move(stream.payload);
    stream.payload.clear();
    stream.inProgress = false;

    const auto type = static_cast<MessageType>(message.header.typeId);
    if (type == MessageType::SetChunkSize) {
        if (message.payload.size() < 4) {
            return base::fail("rtmp: Set Chunk Size payload of " + str(message.payload.size()) +
                              " bytes, expected 4");
        }
        // A set reserved top bit makes the value exceed any sane maxChunkSize.
        const std::uint32_t size = u32be(message.payload.data());
        if (size == 0 || size > limits_.maxChunkSize) {
            return base::fail("rtmp: chunk size " + str(size) + " invalid, allowed 1.." +
                              str(limits_.maxChunkSize));
        }
        chunkSize_ = size;
    } else if (type == MessageType::Abort) {
        if (message.payload.size() < 4) {
            return base::fail("rtmp: Abort payload of " + str(message.payload.size()) +
                              " bytes, expected 4");
        }
        if (ChunkStream* aborted = find(u32be(message.payload.data()))) {
            aborted->payload = {};
            aborted->inProgress = false;
        }
    }
    sink(std::move(message));
    return {};
}

} // namespace stagecast::protocol::rtmp
