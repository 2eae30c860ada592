#pragma once
/// Builds one gathered write for an RTMP player: pending control bytes, then a batch of hub
/// packets chunked around their shared payloads (no payload is copied). Single-threaded; the
/// buffers stay valid until the next prepare().

#include <cstdint>
#include <vector>

#include <boost/asio/buffer.hpp>

#include "protocol/rtmp/ChunkWriter.h"
#include "stream/MediaPacket.h"

namespace stagecast::server::rtmp {

class RtmpPlayWriter {
public:
    /// Takes ownership of `control` and `packets` until the next prepare()/clear().
    /// `timestamps`, when given, replaces each packet's dts (a relay's continuous timeline).
    const std::vector<boost::asio::const_buffer>&
    prepare(std::vector<std::uint8_t>& control, std::vector<stream::PacketPtr>& packets,
            const protocol::rtmp::ChunkWriter& writer, std::uint32_t messageStreamId,
            const std::vector<std::uint32_t>* timestamps = nullptr);
    void clear();
    bool empty() const { return buffers_.empty(); }
    std::vector<stream::PacketPtr>& batch() { return packets_; }

private:
    std::vector<std::uint8_t> control_;
    std::vector<stream::PacketPtr> packets_;
    std::vector<std::uint8_t> headers_;
    std::vector<protocol::rtmp::ChunkWriter::Piece> pieces_;
    std::vector<std::size_t> piecePacket_;
    std::vector<boost::asio::const_buffer> buffers_;
};

} // namespace stagecast::server::rtmp
