#include "RtmpPlayWriter.h"

#include "protocol/rtmp/Message.h"

namespace stagecast::server::rtmp {

namespace proto = protocol::rtmp;

namespace {

std::uint32_t chunkStreamFor(stream::TrackKind kind) {
    switch (kind) {
    case stream::TrackKind::Video:
        return static_cast<std::uint32_t>(proto::ChunkStreamId::Video);
    case stream::TrackKind::Audio:
        return static_cast<std::uint32_t>(proto::ChunkStreamId::Audio);
    case stream::TrackKind::Data:
        break;
    }
    return static_cast<std::uint32_t>(proto::ChunkStreamId::Data);
}

std::uint8_t messageTypeFor(stream::TrackKind kind) {
    switch (kind) {
    case stream::TrackKind::Video:
        return static_cast<std::uint8_t>(proto::MessageType::Video);
    case stream::TrackKind::Audio:
        return static_cast<std::uint8_t>(proto::MessageType::Audio);
    case stream::TrackKind::Data:
        break;
    }
    return static_cast<std::uint8_t>(proto::MessageType::DataAmf0);
}

} // namespace

const std::vector<boost::asio::const_buffer>&
RtmpPlayWriter::prepare(std::vector<std::uint8_t>& control, std::vector<stream::PacketPtr>& packets,
                        const proto::ChunkWriter& writer, std::uint32_t messageStreamId,
                        const std::vector<std::uint32_t>* timestamps) {
    clear();
    control_.swap(control);
    packets_.swap(packets);
    // First all headers (the vector may grow), then the buffer list pointing into it.
    for (std::size_t i = 0; i < packets_.size(); ++i) {
        const auto& p = *packets_[i];
        proto::MessageHeader h;
        h.typeId = messageTypeFor(p.kind);
        h.streamId = messageStreamId;
        h.timestamp = timestamps ? (*timestamps)[i] : static_cast<std::uint32_t>(p.dts.count());
        h.length = static_cast<std::uint32_t>(p.payload.size());
        writer.plan(headers_, pieces_, chunkStreamFor(p.kind), h, p.payload.size());
        piecePacket_.resize(pieces_.size(), i);
    }
    if (!control_.empty()) {
        buffers_.emplace_back(control_.data(), control_.size());
    }
    for (std::size_t k = 0; k < pieces_.size(); ++k) {
        const auto& piece = pieces_[k];
        const auto& payload = packets_[piecePacket_[k]]->payload;
        if (piece.headerLength > 0) {
            buffers_.emplace_back(headers_.data() + piece.headerOffset, piece.headerLength);
        }
        if (piece.payloadLength > 0) {
            buffers_.emplace_back(payload.data() + piece.payloadOffset, piece.payloadLength);
        }
    }
    return buffers_;
}

void RtmpPlayWriter::clear() {
    control_.clear();
    packets_.clear();
    headers_.clear();
    pieces_.clear();
    piecePacket_.clear();
    buffers_.clear();
}

} // namespace stagecast::server::rtmp
