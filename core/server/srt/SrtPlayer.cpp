#include "SrtPlayer.h"

#include <algorithm>

#include <srt/srt.h>

namespace stagecast::server::srt {

namespace {

constexpr std::size_t kMaxBatchBytes = 256 * 1024;
// PAT/PMT before every keyframe, and at least this often for audio-only streams, so a
// decoder that lost packets resynchronises quickly.
constexpr std::int64_t kTablesEveryMs = 500;

} // namespace

SrtPlayer::SrtPlayer(int socket, std::unique_ptr<stream::Subscription> subscription)
    : socket_(socket), subscription_(std::move(subscription)) {}

void SrtPlayer::mux(const stream::MediaPacket& p) {
    std::span<const std::uint8_t> body(p.payload);
    if (p.kind == stream::TrackKind::Data) {
        return;
    }
    if (p.config) {
        // A config the muxer cannot use (e.g. AV1) leaves that track out of the TS.
        auto ok = p.kind == stream::TrackKind::Video ? muxer_.setVideoConfig(body)
                                                     : muxer_.setAudioConfig(body);
        tablesDue_ = tablesDue_ || ok.has_value();
        return;
    }
    auto dts = p.dts.count();
    if (tablesDue_ || (p.kind == stream::TrackKind::Video && p.keyframe) ||
        dts - lastTablesMs_ >= kTablesEveryMs || dts < lastTablesMs_) {
        muxer_.writeTables(pending_);
        tablesDue_ = false;
        lastTablesMs_ = dts;
    }
    // Frames before their track's config, or of a codec TS cannot carry, are left out: the
    // caller still gets the tracks that can be played.
    if (p.kind == stream::TrackKind::Video) {
        if (muxer_.hasVideo()) {
            (void)muxer_.writeVideo(pending_, dts, body);
        }
    } else if (muxer_.hasAudio()) {
        (void)muxer_.writeAudio(pending_, dts, body);
    }
}

base::Result<std::size_t> SrtPlayer::pump(stream::SteadyTime now) {
    std::size_t total = 0;
    for (;;) {
        auto sent = send();
        if (!sent) {
            return sent;
        }
        total += *sent;
        if (pendingBytes() > kMaxPendingBytes / 2) {
            return total; // the socket is full; let the reader's policy handle the backlog
        }
        batch_.clear();
        auto state = subscription_->reader().drain(batch_, kMaxBatchBytes, now);
        if (batch_.empty()) {
            if (state != stream::ReaderState::Open) {
                // Send what is left first; the caller sees the end of the stream after it.
                if (pendingBytes() == 0) {
                    return base::fail("player of " + key().str() +
                                      " ended: " + stream::toString(state));
                }
            }
            return total;
        }
        for (const auto& p : batch_) {
            mux(*p);
        }
        if (pending_.size() - sent_ > kMaxPendingBytes) {
            return base::fail("player of " + key().str() + " ended: over " +
                              std::to_string(kMaxPendingBytes) + " bytes waiting to be sent");
        }
    }
}

base::Result<std::size_t> SrtPlayer::send() {
    std::size_t total = 0;
    while (sent_ < pending_.size()) {
        auto size = std::min(kMessageBytes, pending_.size() - sent_);
        int n = srt_sendmsg(socket_, reinterpret_cast<const char*>(pending_.data() + sent_),
                            static_cast<int>(size), -1, 1);
        if (n == SRT_ERROR) {
            if (srt_getlasterror(nullptr) == SRT_EASYNCSND) {
                break;
            }
            return base::fail(std::string("send to player failed: ") + srt_getlasterror_str());
        }
        sent_ += static_cast<std::size_t>(n);
        total += static_cast<std::size_t>(n);
    }
    if (sent_ == pending_.size()) {
        pending_.clear();
        sent_ = 0;
    } else if (sent_ > kMaxPendingBytes / 4) {
        pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(sent_));
        sent_ = 0;
    }
    return total;
}

} // namespace stagecast::server::srt
