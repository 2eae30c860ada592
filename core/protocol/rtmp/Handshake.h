#pragma once
/// RTMP handshake, both roles (RTMP specification 1.0 section 5.2), plus the digest
/// ("complex") form that Flash-era encoders and some hardware encoders use: C1 carries an
/// HMAC-SHA256 digest at an offset given by scheme 0 or 1; the server answers with a digested
/// S1 and an S2 keyed by C1's digest. A C1 without a valid digest gets the simple handshake.
/// Sans-I/O: feed() the peer's bytes, send what takeOutput() returns.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "base/Result.h"

namespace stagecast::protocol::rtmp {

inline constexpr std::size_t kHandshakeSize = 1536;

class ServerHandshake {
public:
    /// Consumes as many bytes as belong to the handshake and returns how many it took (the
    /// rest, if any, is the first chunk data and belongs to the ChunkReader). Fails on a
    /// version byte other than 3 (or 6, treated as 3).
    base::Result<std::size_t> feed(std::span<const std::uint8_t> data);
    /// Bytes to send (S0+S1+S2 once C0+C1 are in); empty when nothing is pending.
    std::vector<std::uint8_t> takeOutput();
    bool done() const;
    /// True when C1 carried a valid digest and the complex form was answered.
    bool usedDigest() const;

private:
    enum class State { WaitC0C1 = 1, WaitC2, Done, Failed };
    base::Status answer();

    State state_ = State::WaitC0C1;
    std::vector<std::uint8_t> buffer_; // C0+C1 while they arrive
    std::size_t c2Received_ = 0;       // C2 is counted, not kept: nothing checks its content
    std::vector<std::uint8_t> output_;
    bool digest_ = false;
    base::Error error_;
};

class ClientHandshake {
public:
    /// Produces C0+C1 (simple form) for takeOutput().
    ClientHandshake();
    base::Result<std::size_t> feed(std::span<const std::uint8_t> data);
    std::vector<std::uint8_t> takeOutput();
    bool done() const;

private:
    enum class State { WaitS0S1S2 = 1, Done, Failed };
    State state_ = State::WaitS0S1S2;
    std::vector<std::uint8_t> buffer_; // S0+S1 while they arrive
    std::size_t s2Received_ = 0;       // S2 is counted, not kept (a digest server does not echo)
    std::vector<std::uint8_t> output_;
    base::Error error_;
};

} // namespace stagecast::protocol::rtmp
