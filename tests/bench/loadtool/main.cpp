// stagecast-load: publishes an FLV file in real time over RTMP and plays it with many RTMP
// and HTTP-FLV players, then reports players held, time to first frame, server-added latency,
// server CPU per GiB delivered and memory per player. A benchmark tool: see
// docs/benchmarks.md and tests/bench/run-bench.sh.

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>

#include "FlvPlayer.h"
#include "FlvSource.h"
#include "HlsPlayer.h"
#include "ProcStats.h"
#include "Report.h"
#include "RtmpClient.h"
#include "RtmpPlayer.h"
#include "SendLog.h"
#include "Stats.h"
#include "Url.h"

namespace asio = boost::asio;
using namespace stagecast::load;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

namespace {

struct Options {
    std::string publishUrl;
    std::string file;
    std::string rtmpPlay;
    std::size_t rtmpPlayers = 0;
    std::string flvPlay;
    std::size_t flvPlayers = 0;
    std::string hlsPlay;
    std::size_t hlsPlayers = 0;
    std::string llHlsPlay;
    std::size_t llHlsPlayers = 0;
    std::int64_t hlsTsOffsetMs = 0;
    double seconds = 30;
    int rampMs = 5000;
    int warmupMs = 3000;
    int settleMs = 2000;
    int heldWindowMs = 2000;
    int serverPid = 0;
    unsigned threads = 1;
    bool json = false;
};

/// Many players need many descriptors; the soft limit is often 1024.
void raiseFileLimit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

std::optional<asio::ip::tcp::endpoint> resolve(asio::io_context& io, const std::string& host,
                                               std::uint16_t port) {
    asio::ip::tcp::resolver resolver(io);
    boost::system::error_code ec;
    auto results = resolver.resolve(host, std::to_string(port), ec);
    if (ec || results.empty()) {
        std::fprintf(stderr, "stagecast-load: cannot resolve %s: %s\n", host.c_str(),
                     ec.message().c_str());
        return std::nullopt;
    }
    return results.begin()->endpoint();
}

/// An io_context run by one thread until its work guard is released and its work is done.
struct IoThread {
    asio::io_context io{1};
    asio::executor_work_guard<asio::io_context::executor_type> guard{io.get_executor()};
    std::thread thread;
    void start() {
        thread = std::thread([this] { io.run(); });
    }
    void finish() {
        guard.reset();
        if (thread.joinable()) {
            thread.join();
        }
    }
};

struct PlayerHandle {
    asio::io_context* io = nullptr;
    std::function<void()> start;
    std::function<void()> stop;
};

int fail(const std::string& message) {
    std::fprintf(stderr, "stagecast-load: %s\n", message.c_str());
    return 2;
}

std::optional<ProcSample> sampleServer(int pid) {
    if (pid == 0) {
        return std::nullopt;
    }
    auto s = readProcStats(pid);
    if (!s) {
        std::fprintf(stderr, "stagecast-load: %s\n", s.error().message().c_str());
        return std::nullopt;
    }
    return *s;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App cli{"stagecast-load: real-time publisher and many-player load for RTMP/HTTP-FLV "
                 "servers (a benchmark, not a test)"};
    Options o;
    cli.add_option("--publish-url", o.publishUrl, "rtmp://host:port/app/name to publish to");
    cli.add_option("--file", o.file, "FLV file to publish in real time (loops)");
    cli.add_option("--rtmp-play", o.rtmpPlay, "rtmp://host:port/app/name to play");
    cli.add_option("--rtmp-players", o.rtmpPlayers, "RTMP players");
    cli.add_option("--flv-play", o.flvPlay, "http://host:port/app/name.flv to play");
    cli.add_option("--flv-players", o.flvPlayers, "HTTP-FLV players");
    cli.add_option("--hls-play", o.hlsPlay, "http://host:port/app/name.m3u8 to play (MPEG-TS HLS)");
    cli.add_option("--hls-players", o.hlsPlayers, "HLS players (a thread each)");
    cli.add_option("--hls-ts-offset-ms", o.hlsTsOffsetMs,
                   "what the server adds to the publisher's timestamps in its MPEG-TS segments "
                   "(nginx-rtmp: 700)");
    cli.add_option("--ll-hls-play", o.llHlsPlay, "http://host:port/app/name/ll.m3u8 to play");
    cli.add_option("--ll-hls-players", o.llHlsPlayers, "LL-HLS players (a thread each)");
    cli.add_option("--seconds", o.seconds, "Measurement window in seconds (default 30)")
        ->check(CLI::PositiveNumber);
    cli.add_option("--ramp-ms", o.rampMs, "Spread player connects over this time (default 5000)")
        ->check(CLI::NonNegativeNumber);
    cli.add_option("--warmup-ms", o.warmupMs,
                   "Publish this long before players connect (default 3000)")
        ->check(CLI::NonNegativeNumber);
    cli.add_option("--settle-ms", o.settleMs,
                   "Wait this long after the ramp before measuring (default 2000)")
        ->check(CLI::NonNegativeNumber);
    cli.add_option("--held-window-ms", o.heldWindowMs,
                   "A player is held if it got a frame this close to the end (default 2000)")
        ->check(CLI::PositiveNumber);
    cli.add_option("--server-pid", o.serverPid, "PID of the server, for CPU and memory");
    cli.add_option("--threads", o.threads, "io threads for the players (default 1)")
        ->check(CLI::Range(1u, 64u));
    cli.add_flag("--json", o.json, "Print the result as JSON (text goes to stderr)");
    CLI11_PARSE(cli, argc, argv);

    raiseFileLimit();
    asio::io_context resolverIo;

    std::optional<RtmpUrl> rtmpPlay;
    std::optional<HttpUrl> flvPlay;
    std::optional<asio::ip::tcp::endpoint> rtmpPlayEp;
    std::optional<asio::ip::tcp::endpoint> flvPlayEp;
    if (o.rtmpPlayers > 0) {
        auto u = parseRtmpUrl(o.rtmpPlay);
        if (!u) {
            return fail("--rtmp-play: " + u.error().message());
        }
        rtmpPlay = *u;
        if (!(rtmpPlayEp = resolve(resolverIo, u->host, u->port))) {
            return 2;
        }
    }
    if (o.flvPlayers > 0) {
        auto u = parseHttpUrl(o.flvPlay);
        if (!u) {
            return fail("--flv-play: " + u.error().message());
        }
        flvPlay = *u;
        if (!(flvPlayEp = resolve(resolverIo, u->host, u->port))) {
            return 2;
        }
    }

    SendLog sendLog;
    MeasureWindow window;
    IoThread publisherThread;
    std::shared_ptr<RtmpClient> publisher;
    std::optional<FlvSource> source;
    if (!o.publishUrl.empty()) {
        auto u = parseRtmpUrl(o.publishUrl);
        if (!u) {
            return fail("--publish-url: " + u.error().message());
        }
        if (o.file.empty()) {
            return fail("--publish-url needs --file");
        }
        auto loaded = loadFlvFile(o.file);
        if (!loaded) {
            return fail(loaded.error().message());
        }
        source = std::move(*loaded);
        auto ep = resolve(resolverIo, u->host, u->port);
        if (!ep) {
            return 2;
        }
        publisher = std::make_shared<RtmpClient>(publisherThread.io, *ep, *u, *source, sendLog);
        publisherThread.start();
        asio::post(publisherThread.io, [publisher] { publisher->start(); });
        auto deadline = steady_clock::now() + std::chrono::seconds(10);
        while (!publisher->publishing() && !publisher->failed() && steady_clock::now() < deadline) {
            std::this_thread::sleep_for(milliseconds(10));
        }
        if (!publisher->publishing()) {
            auto why = publisher->failed() ? publisher->error() : "no Publish.Start within 10 s";
            asio::post(publisherThread.io, [publisher] { publisher->stop(); });
            publisherThread.finish();
            return fail("publisher: " + why);
        }
        std::fprintf(stderr, "stagecast-load: publishing %s (%zu tags, %.1f s per loop)\n",
                     o.publishUrl.c_str(), source->tags.size(), source->loopDurationMs / 1000.0);
        std::this_thread::sleep_for(milliseconds(o.warmupMs));
    }
    const SendLog* log = publisher ? &sendLog : nullptr;

    RunResult result;
    auto before = sampleServer(o.serverPid);
    if (before) {
        result.serverRssBeforeBytes = before->rssBytes;
    }

    std::vector<std::unique_ptr<IoThread>> threads;
    for (unsigned i = 0; i < o.threads; ++i) {
        threads.push_back(std::make_unique<IoThread>());
        threads.back()->start();
    }
    std::vector<std::unique_ptr<PlayerRecord>> records;
    std::vector<PlayerHandle> players;
    const auto total = o.rtmpPlayers + o.flvPlayers;
    for (std::size_t i = 0; i < std::max(o.rtmpPlayers, o.flvPlayers); ++i) {
        for (int kind = 0; kind < 2; ++kind) {
            if ((kind == 0 && i >= o.rtmpPlayers) || (kind == 1 && i >= o.flvPlayers)) {
                continue;
            }
            auto& io = threads[players.size() % threads.size()]->io;
            records.push_back(std::make_unique<PlayerRecord>());
            auto& record = *records.back();
            if (kind == 0) {
                auto p =
                    std::make_shared<RtmpPlayer>(io, *rtmpPlayEp, *rtmpPlay, record, log, window);
                players.push_back({&io, [p] { p->start(); }, [p] { p->stop(); }});
            } else {
                auto p = std::make_shared<FlvPlayer>(io, *flvPlayEp, *flvPlay, record, log, window);
                players.push_back({&io, [p] { p->start(); }, [p] { p->stop(); }});
            }
        }
    }

    // HLS players block on their own threads (a few of them, for latency): started first.
    std::vector<std::unique_ptr<HlsPlayer>> hlsPlayers;
    for (int ll = 0; ll < 2; ++ll) {
        const auto count = ll == 0 ? o.hlsPlayers : o.llHlsPlayers;
        for (std::size_t i = 0; i < count; ++i) {
            records.push_back(std::make_unique<PlayerRecord>());
            hlsPlayers.push_back(std::make_unique<HlsPlayer>(
                ll == 0 ? o.hlsPlay : o.llHlsPlay, ll == 1, *records.back(), log, window));
            if (ll == 0) {
                hlsPlayers.back()->setTsOffsetMs(o.hlsTsOffsetMs);
            }
            hlsPlayers.back()->start();
        }
    }

    const auto rampStart = steady_clock::now();
    for (std::size_t i = 0; i < players.size(); ++i) {
        auto due = rampStart + milliseconds(o.rampMs) * static_cast<long>(i) /
                                   static_cast<long>(std::max<std::size_t>(total, 1));
        std::this_thread::sleep_until(due);
        asio::post(*players[i].io, players[i].start);
    }
    std::this_thread::sleep_until(rampStart + milliseconds(o.rampMs + o.settleMs));
    std::fprintf(stderr, "stagecast-load: %zu players started; measuring for %.1f s\n",
                 players.size(), o.seconds);

    auto snapshotBytes = [&records] {
        std::vector<std::uint64_t> bytes;
        bytes.reserve(records.size());
        for (const auto& r : records) {
            bytes.push_back(r->bytes.load());
        }
        return bytes;
    };
    const auto windowStart = nowNs();
    window.startNs = windowStart;
    auto serverStart = sampleServer(o.serverPid);
    auto selfStart = readProcStats(0);
    auto machineStart = readMachineBusySeconds();
    auto bytesStart = snapshotBytes();

    std::this_thread::sleep_for(std::chrono::duration<double>(o.seconds));

    const auto windowEnd = nowNs();
    window.endNs = windowEnd;
    auto bytesEnd = snapshotBytes();
    auto serverEnd = sampleServer(o.serverPid);
    auto selfEnd = readProcStats(0);
    auto machineEnd = readMachineBusySeconds();

    for (auto& p : players) {
        asio::post(*p.io, p.stop);
    }
    for (auto& p : hlsPlayers) {
        p->stop();
    }
    for (auto& t : threads) {
        t->finish();
    }
    if (publisher) {
        result.publisherFrames = publisher->framesSent();
        result.publisherMaxLateMs = publisher->maxLateMs();
        result.publisherError = publisher->error();
        asio::post(publisherThread.io, [publisher] { publisher->stop(); });
        publisherThread.finish();
    }

    result.windowSeconds = static_cast<double>(windowEnd - windowStart) / 1e9;
    if (serverStart && serverEnd) {
        result.serverCpuSeconds = serverEnd->cpuSeconds - serverStart->cpuSeconds;
        result.serverRssFullBytes = serverEnd->rssBytes;
    }
    result.cpus = std::thread::hardware_concurrency();
    if (machineStart && machineEnd) {
        result.machineBusySeconds = *machineEnd - *machineStart;
    }
    if (selfStart && selfEnd) {
        result.loadToolCpuSeconds = selfEnd->cpuSeconds - selfStart->cpuSeconds;
    }
    std::vector<const PlayerRecord*> view;
    for (const auto& r : records) {
        view.push_back(r.get());
    }
    const std::int64_t held = std::int64_t{o.heldWindowMs} * 1000000;
    if (o.rtmpPlayers > 0) {
        result.protocols.push_back(
            summarize(Protocol::Rtmp, view, bytesStart, bytesEnd, windowStart, windowEnd, held));
    }
    if (o.flvPlayers > 0) {
        result.protocols.push_back(
            summarize(Protocol::HttpFlv, view, bytesStart, bytesEnd, windowStart, windowEnd, held));
    }
    if (o.hlsPlayers > 0) {
        result.protocols.push_back(
            summarize(Protocol::Hls, view, bytesStart, bytesEnd, windowStart, windowEnd, held));
    }
    if (o.llHlsPlayers > 0) {
        result.protocols.push_back(
            summarize(Protocol::LlHls, view, bytesStart, bytesEnd, windowStart, windowEnd, held));
    }
    players.clear();
    if (o.json) {
        std::fputs(toText(result).c_str(), stderr);
        std::cout << toJson(result) << std::endl;
    } else {
        std::cout << toText(result);
    }
    return 0;
}
