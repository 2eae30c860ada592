#include "app/PullWiring.h"

#include "app/routes/MonitorJson.h"
#include "base/Log.h"
#include "server/MediaIngest.h"
#include "server/api/ApiRouter.h"

namespace stagecast::app {

namespace {

constexpr auto kFirstBackoff = std::chrono::milliseconds(1000);
constexpr auto kMaxBackoff = std::chrono::milliseconds(30000);
constexpr auto kStableAfter = std::chrono::seconds(10);

} // namespace

Pulls::Pulls(const std::vector<config::PullConfig>& pulls, server::Server& server)
    : server_(server) {
    for (const auto& p : pulls) {
        auto e = std::make_unique<Entry>();
        e->stream = p.stream;
        e->url = p.url;
        e->shownUrl = media::redactedUrl(p.url);
        entries_.push_back(std::move(e));
    }
}

Pulls::~Pulls() {
    stop();
}

void Pulls::mount(server::api::ApiRouter& router) {
    server::api::ApiMount m;
    m.pattern = "/api/v1/pulls";
    m.methods = {"GET"};
    m.handler = [this](const server::api::ApiRequest&) {
        server::api::ApiResponse r;
        r.body = nlohmann::json{{"pulls", status()}}.dump();
        return r;
    };
    router.mount(std::move(m));
}

void Pulls::start() {
    for (auto& e : entries_) {
        e->thread = std::thread([this, entry = e.get()] { run(*entry); });
    }
}

void Pulls::stop() {
    if (stopping_.exchange(true)) {
        return;
    }
    for (auto& e : entries_) {
        e->abort = true;
    }
    wait_.notify_all();
    for (auto& e : entries_) {
        if (e->thread.joinable()) {
            e->thread.join();
        }
    }
}

nlohmann::json Pulls::status() const {
    auto out = nlohmann::json::array();
    for (const auto& e : entries_) {
        std::lock_guard lock(e->mutex);
        out.push_back({{"stream", e->stream},
                       {"url", e->shownUrl},
                       {"state", e->state},
                       {"source", e->source},
                       {"bytes_in", e->counters.bytesIn.load()},
                       {"packets", e->counters.packets.load()},
                       {"reconnects", e->reconnects},
                       {"last_error", e->lastError},
                       {"since", rfc3339(store::toStoreTime(e->since))}});
    }
    return out;
}

void Pulls::setState(Entry& e, std::string state, std::string detail) {
    {
        std::lock_guard lock(e.mutex);
        if (state == "pulling") {
            e.source = detail;
        } else if (state == "backoff") {
            e.lastError = detail;
        }
        e.state = state;
        e.since = std::chrono::system_clock::now();
    }
    base::log(state == "backoff" ? base::LogLevel::Warning : base::LogLevel::Info, "pull",
              e.stream + " <- " + e.shownUrl + ": " + state +
                  (detail.empty() ? "" : ": " + detail));
    server_.events().publish(
        "pulls",
        nlohmann::json{
            {"stream", e.stream}, {"url", e.shownUrl}, {"state", state}, {"detail", detail}}
            .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

bool Pulls::pause(Entry& e, std::chrono::milliseconds d) {
    std::unique_lock lock(waitMutex_);
    wait_.wait_for(lock, d, [&] { return e.abort.load(); });
    return !e.abort;
}

void Pulls::run(Entry& e) {
    auto key = stream::StreamKey::parse(e.stream);
    if (!key) {
        setState(e, "backoff", key.error().message());
        return;
    }
    auto backoff = kFirstBackoff;
    while (!e.abort) {
        setState(e, "connecting", {});
        std::unique_ptr<stream::Publisher> publisher;
        std::unique_ptr<server::MediaIngest> ingest;
        std::atomic<bool> evicted{false};
        const auto started = std::chrono::steady_clock::now();
        auto ended = media::UrlSource::run(
            e.url, {}, e.abort, [&](const std::string& source) { setState(e, "pulling", source); },
            [&](const protocol::mpegts::DemuxedPacket& p) -> base::Status {
                if (evicted) {
                    return base::fail("another publisher took the stream over");
                }
                if (!publisher) {
                    auto published = server_.hub().publish(
                        {*key, {0, "pull", e.shownUrl}, [&evicted](const std::string&) {
                             evicted = true;
                         }});
                    if (!published) {
                        return base::fail(published.error());
                    }
                    publisher = std::move(*published);
                    ingest = std::make_unique<server::MediaIngest>(*publisher);
                }
                return p.kind == protocol::mpegts::DemuxedPacket::Kind::Video
                           ? ingest->onVideo(p.dtsMs, p.flvBody)
                           : ingest->onAudio(p.dtsMs, p.flvBody);
            },
            e.counters);
        ingest.reset();
        publisher.reset(); // unpublished: players see the stream end
        if (e.abort) {
            break;
        }
        if (std::chrono::steady_clock::now() - started > kStableAfter) {
            backoff = kFirstBackoff;
        }
        {
            std::lock_guard lock(e.mutex);
            ++e.reconnects;
        }
        setState(e, "backoff", ended ? "the source ended" : ended.error().message());
        if (!pause(e, backoff)) {
            break;
        }
        backoff = std::min(backoff * 2, kMaxBackoff);
    }
    setState(e, "stopped", {});
}

} // namespace stagecast::app
