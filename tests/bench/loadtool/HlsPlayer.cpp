#include "HlsPlayer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <span>

#include "protocol/hls/PlaylistParser.h"
#include "protocol/mp4/FragmentReader.h"
#include "protocol/mpegts/TsDemuxer.h"

namespace stagecast::load {

namespace phls = protocol::hls;

namespace {

constexpr std::size_t kMaxAnswerBytes = 64 * 1024 * 1024;
constexpr std::uint32_t kVideoTrack = 1;

std::int64_t secondsToNs(double s) {
    return static_cast<std::int64_t>(s * 1e9);
}

std::span<const std::uint8_t> bytesOf(const std::string& s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

} // namespace

HlsPlayer::HlsPlayer(const std::string& url, bool lowLatency, PlayerRecord& record,
                     const SendLog* sendLog, const MeasureWindow& window)
    : lowLatency_(lowLatency), record_(record), sendLog_(sendLog), window_(window) {
    record_.protocol = lowLatency ? Protocol::LlHls : Protocol::Hls;
    auto parsed = base::parseHttpUrl(url.substr(0, url.find('?')));
    if (!parsed || parsed->tls) {
        record_.fail("bad playlist URL " + url);
        return;
    }
    target_ = parsed->path + (url.find('?') != std::string::npos ? url.substr(url.find('?')) : "");
    parsed->path.clear();
    // Blocking reloads wait up to about three part targets; the timeout leaves room for that.
    client_.emplace(*parsed, "", std::chrono::milliseconds(10000), server::hls::OriginTls{},
                    kMaxAnswerBytes);
}

HlsPlayer::~HlsPlayer() {
    stop();
}

void HlsPlayer::start() {
    if (client_) {
        thread_ = std::thread([this] { run(); });
    }
}

void HlsPlayer::stop() {
    stopping_ = true;
    if (thread_.joinable()) {
        thread_.join();
    }
}

void HlsPlayer::sleepFor(std::int64_t ns) {
    const auto until = nowNs() + ns;
    while (!stopping_ && nowNs() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(
            std::clamp<std::int64_t>((until - nowNs()) / 1000000, 1, 50)));
    }
}

std::string HlsPlayer::resolve(const std::string& base, const std::string& uri) {
    if (uri.starts_with("http://")) {
        const auto slash = uri.find('/', 7);
        return slash == std::string::npos ? "/" : uri.substr(slash);
    }
    if (uri.starts_with('/')) {
        return uri;
    }
    const auto path = base.substr(0, base.find('?'));
    return path.substr(0, path.rfind('/') + 1) + uri;
}

std::optional<std::string> HlsPlayer::get(std::string& target) {
    for (int hop = 0; hop < 2; ++hop) {
        auto answer = client_->send("GET", target, {}, {});
        if (!answer) {
            record_.fail("GET " + target + ": " + answer.error().message());
            return std::nullopt;
        }
        if (answer->status == 302 && !answer->location.empty()) {
            target = resolve(target, answer->location);
            continue;
        }
        if (answer->status != 200) {
            record_.fail("GET " + target + ": status " + std::to_string(answer->status));
            return std::nullopt;
        }
        record_.bytes += answer->body.size();
        return std::move(answer->body);
    }
    record_.fail("GET " + target + ": too many redirects");
    return std::nullopt;
}

void HlsPlayer::run() {
    record_.connectStartNs = nowNs();
    record_.enter(Stage::Response, record_.connectStartNs);
    if (lowLatency_) {
        runLlHls();
    } else {
        runHls();
    }
    record_.closed = true;
}

void HlsPlayer::onFrame(bool keyframe, std::int64_t dtsMs, std::int64_t arrivalNs) {
    const auto ts = static_cast<std::uint32_t>(dtsMs);
    record_.onVideo(keyframe ? VideoKind::KeyFrame : VideoKind::InterFrame, ts, arrivalNs, sendLog_,
                    window_);
    // Before the start position: decoded, not shown (the seek).
    if (!firstDtsMs_) {
        firstDtsMs_ = dtsMs;
    }
    if (!shownNs_ && dtsMs < *firstDtsMs_ + seekMs_) {
        return;
    }
    // Shown at its place on the playback clock, or when it arrives if that is later (a stall).
    std::int64_t shown = arrivalNs;
    if (shownNs_) {
        const auto due = *shownNs_ + (dtsMs - shownDtsMs_) * 1000000;
        if (due >= arrivalNs) {
            shown = due;
        } else {
            ++record_.stalls;
        }
    }
    shownNs_ = shown;
    shownDtsMs_ = dtsMs;
    record_.onPlayback(ts, shown, sendLog_, window_);
}

void HlsPlayer::onMediaTs(const std::string& bytes, std::int64_t arrivalNs) {
    // Each segment starts with PAT/PMT and a keyframe: one demuxer per segment.
    protocol::mpegts::TsDemuxer demuxer;
    std::vector<protocol::mpegts::DemuxedPacket> packets;
    if (auto ok = demuxer.feed(bytesOf(bytes), packets); !ok) {
        record_.fail("MPEG-TS: " + ok.error().message());
        return;
    }
    demuxer.flush(packets);
    for (const auto& p : packets) {
        if (p.kind == protocol::mpegts::DemuxedPacket::Kind::Video && !p.config) {
            onFrame(p.keyframe, p.dtsMs - tsOffsetMs_, arrivalNs);
        }
    }
}

void HlsPlayer::onMediaFmp4(const std::string& bytes, std::int64_t arrivalNs) {
    auto samples = protocol::mp4::readFragmentSamples(bytesOf(bytes));
    if (!samples) {
        record_.fail("fMP4: " + samples.error().message());
        return;
    }
    for (const auto& s : *samples) {
        if (s.trackId == kVideoTrack) {
            onFrame(s.sync, static_cast<std::int64_t>(s.decodeTime), arrivalNs);
        }
    }
}

void HlsPlayer::runHls() {
    std::optional<std::uint64_t> next; // the next media sequence number to fetch
    while (!stopping_ && record_.error.empty()) {
        const auto reloadNs = nowNs();
        auto text = get(target_);
        if (!text) {
            return;
        }
        auto playlist = phls::parseMediaPlaylist(*text);
        if (!playlist) {
            record_.fail("playlist: " + playlist.error().message());
            return;
        }
        const auto& segments = playlist->segments;
        if (record_.playingNs < 0 && !segments.empty()) {
            record_.playingNs = nowNs();
            record_.enter(Stage::Playing, record_.playingNs);
        }
        if (!next && !segments.empty()) {
            // hls.js: three target durations behind the end, the segment holding that point.
            double behind = 0;
            std::size_t start = segments.size();
            const auto hold = 3.0 * static_cast<double>(playlist->targetDuration);
            while (start > 0 && behind < hold) {
                behind += segments[--start].duration;
            }
            next = playlist->mediaSequence + start;
            seekMs_ = std::max<std::int64_t>(std::llround((behind - hold) * 1000.0), 0);
        }
        bool fetched = false;
        for (std::size_t i = 0; i < segments.size() && !stopping_; ++i) {
            const auto msn = playlist->mediaSequence + i;
            if (!next || msn < *next || segments[i].uri.empty()) {
                continue;
            }
            auto segmentTarget = resolve(target_, segments[i].uri);
            auto body = get(segmentTarget);
            if (!body) {
                return;
            }
            onMediaTs(*body, nowNs());
            next = msn + 1;
            fetched = true;
        }
        const auto target = secondsToNs(static_cast<double>(playlist->targetDuration));
        sleepFor(reloadNs + (fetched ? target : target / 2) - nowNs());
    }
}

void HlsPlayer::runLlHls() {
    std::optional<std::pair<std::uint64_t, std::uint32_t>> next; // (msn, part) wanted next
    std::string reload = target_;
    while (!stopping_ && record_.error.empty()) {
        auto text = get(reload);
        if (!text) {
            return;
        }
        if (!next) {
            target_ = reload; // the session URL after the first redirect
        }
        auto playlist = phls::parseMediaPlaylist(*text);
        if (!playlist) {
            record_.fail("playlist: " + playlist.error().message());
            return;
        }
        const auto& segments = playlist->segments;
        if (segments.empty()) {
            sleepFor(100000000);
            continue;
        }
        if (record_.playingNs < 0) {
            record_.playingNs = nowNs();
            record_.enter(Stage::Playing, record_.playingNs);
        }
        const auto first = playlist->mediaSequence;
        if (!next) {
            // hls.js: PART-HOLD-BACK behind the live edge; start at an independent part.
            const double hold = playlist->serverControl.partHoldBack.value_or(
                3 * playlist->partTarget.value_or(1.0));
            double behind = 0;
            std::optional<std::pair<std::uint64_t, std::uint32_t>> lastIndependent;
            for (std::size_t i = segments.size(); i-- > 0 && !next;) {
                const auto& parts = segments[i].parts;
                for (std::size_t k = parts.size(); k-- > 0;) {
                    behind += parts[k].duration;
                    if (parts[k].independent) {
                        lastIndependent = {first + i, static_cast<std::uint32_t>(k)};
                        if (behind >= hold) {
                            next = lastIndependent;
                            seekMs_ = std::llround((behind - hold) * 1000.0);
                            break;
                        }
                    }
                }
            }
            if (!next) {
                next = lastIndependent ? *lastIndependent
                                       : std::pair<std::uint64_t, std::uint32_t>{first, 0};
            }
        }
        // Fetch what the playlist lists from `next` on: whole segments whose parts are gone,
        // then parts.
        for (std::size_t i = 0; i < segments.size() && !stopping_; ++i) {
            const auto msn = first + i;
            const auto& seg = segments[i];
            if (msn < next->first) {
                continue;
            }
            if (seg.parts.empty()) {
                if (seg.uri.empty() || next->second != 0) {
                    break; // parts unknown: wait for the playlist to list them
                }
                auto segmentTarget = resolve(target_, seg.uri);
                auto body = get(segmentTarget);
                if (!body) {
                    return;
                }
                onMediaFmp4(*body, nowNs());
                next = {msn + 1, 0};
                continue;
            }
            while (next->second < seg.parts.size() && !stopping_) {
                auto partTarget = resolve(target_, seg.parts[next->second].uri);
                auto body = get(partTarget);
                if (!body) {
                    return;
                }
                onMediaFmp4(*body, nowNs());
                ++next->second;
            }
            if (seg.uri.empty()) {
                break; // the open segment: its next part is not out yet
            }
            next = {msn + 1, 0};
        }
        // Blocking reload for the next part (rfc8216bis 6.2.5.2).
        const auto sep = target_.find('?') == std::string::npos ? "?" : "&";
        reload = target_ + sep + "_HLS_msn=" + std::to_string(next->first) +
                 "&_HLS_part=" + std::to_string(next->second);
    }
}

} // namespace stagecast::load
