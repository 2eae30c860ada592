#pragma once
/// Sends MPEG-TS HLS to an HTTP origin as it is produced, the way a CDN's ingest expects it
/// (like ffmpeg's `-method PUT` HLS output): each segment with PUT to
/// ORIGIN_URL/APP/STREAM/SEQ.ts (video/mp2t), then the playlist that lists it to
/// ORIGIN_URL/APP/STREAM/index.m3u8 (application/vnd.apple.mpegurl), and, when `remove` is
/// on, DELETE for each segment that left the window plus the extra ones kept for late
/// readers. LL-HLS is not sent (nor written by the folder output).
///
/// Queueing, drops and the playlist rule are HlsOutput's. One persistent connection
/// (OriginClient) on the output's own thread; failures without an answer, 408, 429 and 5xx
/// are retried with backoff (250 ms doubling to 5 s, with jitter) until they work or the
/// stream's queue fills behind them; other statuses are the origin's verdict and are not
/// repeated. Each new failure is logged once per stream with the URL and the status.

#include <chrono>
#include <random>
#include <string>

#include "base/HttpUrl.h"
#include "server/hls/HlsOutput.h"
#include "server/hls/OriginClient.h"

namespace stagecast::server::hls {

struct OriginOptions {
    base::HttpUrl url;
    bool remove = true;
    std::string header; // "Name: value", or empty
    std::chrono::milliseconds timeout{5000};
    OriginTls tls;
};

class HlsOriginWriter final : public HlsOutput {
public:
    HlsOriginWriter(OriginOptions options, Limits limits);
    ~HlsOriginWriter() override;

private:
    Attempt storeSegment(const HlsOutputJob& job) override;
    Attempt storePlaylist(const HlsOutputJob& job, const std::string& text) override;
    void removeExpired(const HlsOutputJob& job, const std::vector<std::uint64_t>& stored) override;
    std::optional<std::chrono::milliseconds> retryDelay(unsigned retry) const override;
    void logFailure(const std::string& stream, const std::string& message) override;

    Attempt request(const HlsOutputJob& job, std::string_view method, const std::string& file,
                    std::string_view contentType, std::string_view body);

    const OriginOptions options_;
    OriginClient client_; // the output's thread only
    bool everConnected_ = false;
    mutable std::minstd_rand jitter_{std::random_device{}()};
};

} // namespace stagecast::server::hls
