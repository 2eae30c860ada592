// Fuzzes ChunkReader (RTMP specification 1.0 section 5.3). The first 4 bytes steer the run:
// three split points and the writer's chunk size. Checks that
//  - feeding the rest whole or in pieces gives the same messages and the same error, and
//  - every message survives ChunkWriter -> ChunkReader unchanged, and plan() matches write().
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

#include "protocol/rtmp/ChunkReader.h"
#include "protocol/rtmp/ChunkWriter.h"
#include "protocol/rtmp/Control.h"

using namespace stagecast::protocol::rtmp;

namespace {

struct Run {
    std::vector<Message> messages;
    bool failed = false;
    std::string error;
    std::uint64_t bytes = 0;
};

void check(bool ok) {
    if (!ok) {
        std::abort();
    }
}

bool sameMessage(const Message& a, const Message& b) {
    return a.chunkStreamId == b.chunkStreamId && a.header.typeId == b.header.typeId &&
           a.header.streamId == b.header.streamId && a.header.timestamp == b.header.timestamp &&
           a.header.length == b.header.length && a.payload == b.payload;
}

Run feedPieces(std::span<const std::uint8_t> data, std::span<const std::size_t> cuts) {
    Run run;
    ChunkReader reader;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= cuts.size(); ++i) {
        const std::size_t end = i < cuts.size() ? cuts[i] : data.size();
        auto status = reader.feed(data.subspan(start, end - start),
                                  [&run](Message&& m) { run.messages.push_back(std::move(m)); });
        if (!status) {
            run.failed = true;
            run.error = status.error().message();
            // The reader stays failed with the same error.
            auto again = reader.feed(data.subspan(0, std::min<std::size_t>(data.size(), 1)),
                                     [](Message&&) { std::abort(); });
            check(!again && again.error().message() == run.error);
            break;
        }
        start = end;
    }
    run.bytes = reader.bytesReceived();
    return run;
}

void roundTrip(const std::vector<Message>& messages, std::uint32_t chunkSize) {
    ChunkWriter writer;
    std::vector<std::uint8_t> wire;
    const Message setSize = makeSetChunkSize(chunkSize);
    writer.write(wire, setSize.chunkStreamId, setSize.header, setSize.payload);
    writer.setChunkSize(chunkSize);
    for (const Message& m : messages) {
        std::vector<std::uint8_t> one;
        writer.write(one, m.chunkStreamId, m.header, m.payload);

        std::vector<std::uint8_t> headers;
        std::vector<ChunkWriter::Piece> pieces;
        writer.plan(headers, pieces, m.chunkStreamId, m.header, m.payload.size());
        std::vector<std::uint8_t> gathered;
        for (const auto& p : pieces) {
            check(p.headerOffset + p.headerLength <= headers.size());
            check(p.payloadOffset + p.payloadLength <= m.payload.size());
            gathered.insert(gathered.end(), headers.begin() + p.headerOffset,
                            headers.begin() + p.headerOffset + p.headerLength);
            gathered.insert(gathered.end(), m.payload.begin() + p.payloadOffset,
                            m.payload.begin() + p.payloadOffset + p.payloadLength);
        }
        check(gathered == one);
        wire.insert(wire.end(), one.begin(), one.end());

        // The reader applies Set Chunk Size itself; keep the writer in step (the value was
        // accepted by the first reader, so it is valid).
        if (m.header.typeId == static_cast<std::uint8_t>(MessageType::SetChunkSize)) {
            writer.setChunkSize(*parseU32Control(m.payload));
        }
    }

    std::vector<Message> back;
    ChunkReader reader;
    auto status = reader.feed(wire, [&back](Message&& m) { back.push_back(std::move(m)); });
    check(status.has_value());
    check(back.size() == messages.size() + 1);
    for (std::size_t i = 0; i < messages.size(); ++i) {
        check(sameMessage(back[i + 1], messages[i]));
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 4) {
        return 0;
    }
    const std::span<const std::uint8_t> input(data + 4, size - 4);
    std::array<std::size_t, 3> cuts{};
    for (std::size_t i = 0; i < cuts.size(); ++i) {
        cuts[i] = data[i] * input.size() / 256;
    }
    std::sort(cuts.begin(), cuts.end());
    constexpr std::array<std::uint32_t, 4> kChunkSizes = {1, 7, 128, 4096};
    const std::uint32_t writerChunkSize = kChunkSizes[data[3] & 3];

    const Run whole = feedPieces(input, {});
    const Run split = feedPieces(input, cuts);
    check(whole.failed == split.failed);
    check(whole.error == split.error);
    check(whole.messages.size() == split.messages.size());
    for (std::size_t i = 0; i < whole.messages.size(); ++i) {
        check(sameMessage(whole.messages[i], split.messages[i]));
        check(whole.messages[i].header.length == whole.messages[i].payload.size());
    }
    if (!whole.failed) {
        check(whole.bytes == input.size() && split.bytes == input.size());
    }
    roundTrip(whole.messages, writerChunkSize);
    return 0;
}
