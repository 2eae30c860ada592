#include "SrtListener.h"

#include <array>
#include <cstring>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <srt/access_control.h>
#include <srt/srt.h>

#include "base/Log.h"
#include "protocol/mpegts/TsDemuxer.h"
#include "server/MediaIngest.h"
#include "server/ServerContext.h"
#include "server/UrlParts.h"
#include "server/srt/SrtPlayer.h"
#include "server/srt/SrtStreamId.h"

namespace stagecast::server::srt {

namespace mpegts = protocol::mpegts;

namespace {

void log(base::LogLevel level, const std::string& text) {
    base::log(level, "srt", text);
}

std::string addressOf(const sockaddr* sa) {
    char text[INET6_ADDRSTRLEN] = {};
    if (sa == nullptr) {
        return "unknown";
    }
    if (sa->sa_family == AF_INET) {
        const auto* in = reinterpret_cast<const sockaddr_in*>(sa);
        inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
    } else if (sa->sa_family == AF_INET6) {
        const auto* in6 = reinterpret_cast<const sockaddr_in6*>(sa);
        inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
    }
    return text;
}

std::string lastError() {
    return srt_getlasterror_str();
}

std::uint64_t count(std::int64_t v) {
    return v > 0 ? static_cast<std::uint64_t>(v) : 0;
}

} // namespace

struct SrtListener::Session {
    Session(std::shared_ptr<ClientInfo> client_, std::string address_, stream::StreamKey key_,
            std::string param_)
        : client(std::move(client_)), address(std::move(address_)), key(std::move(key_)),
          param(std::move(param_)) {}

    std::shared_ptr<ClientInfo> client;
    std::string address;
    stream::StreamKey key;
    std::string param;
    bool checking = false; // waiting for the on_publish webhook
    std::unique_ptr<stream::Publisher> publisher;
    std::unique_ptr<MediaIngest> ingest;
    mpegts::TsDemuxer demuxer;
    std::unique_ptr<SrtPlayer> player; // m=request callers
    std::uint64_t retransmitted = 0;   // libsrt reports this one per interval only
};

SrtListener::SrtListener(ServerContext& ctx, SrtOptions options)
    : ctx_(ctx), options_(std::move(options)) {
    srt_startup();
}

SrtListener::~SrtListener() {
    stop();
    srt_cleanup();
}

base::Status SrtListener::listen(const std::string& address, std::uint16_t port) {
    auto where = "srt: cannot listen on " + address + ":" + std::to_string(port) + ": ";
    sockaddr_storage storage{};
    int length = 0;
    auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
    if (inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        length = sizeof(sockaddr_in);
    } else if (inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        length = sizeof(sockaddr_in6);
    } else {
        return base::fail(where + "'" + address + "' is not an IP address");
    }
    listener_ = srt_create_socket();
    if (listener_ == SRT_INVALID_SOCK) {
        return base::fail(where + lastError());
    }
    int latency = static_cast<int>(options_.latency.count());
    srt_setsockflag(listener_, SRTO_LATENCY, &latency, sizeof latency);
    if (!options_.passphrase.empty()) {
        srt_setsockflag(listener_, SRTO_PASSPHRASE, options_.passphrase.c_str(),
                        static_cast<int>(options_.passphrase.size()));
    }
    if (srt_bind(listener_, reinterpret_cast<sockaddr*>(&storage), length) == SRT_ERROR ||
        srt_listen(listener_, 64) == SRT_ERROR) {
        auto why = lastError();
        srt_close(listener_);
        listener_ = -1;
        return base::fail(where + why);
    }
    srt_listen_callback(
        listener_,
        [](void* self, SRTSOCKET ns, int, const sockaddr* peer, const char* id) {
            return static_cast<SrtListener*>(self)->decide(ns, addressOf(peer), id);
        },
        this);
    sockaddr_storage bound{};
    int boundLength = sizeof bound;
    srt_getsockname(listener_, reinterpret_cast<sockaddr*>(&bound), &boundLength);
    port_ = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                              : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
    epoll_ = srt_epoll_create();
    int events = SRT_EPOLL_IN | SRT_EPOLL_ERR;
    srt_epoll_add_usock(epoll_, listener_, &events);
    return {};
}

int SrtListener::decide(int socket, const std::string& address, const char* rawId) {
    // Runs on a libsrt thread: only immutable state and thread-safe services here.
    auto id = parseSrtStreamId(rawId ? rawId : "");
    auto refuse = [&](int code, const std::string& why, const std::string& key) {
        log(base::LogLevel::Warning, "caller " + address + " refused: " + why);
        stream::HubEvent e;
        e.type = stream::HubEventType::AuthDenied;
        e.stream = key;
        e.protocol = "srt";
        e.address = address;
        e.reason = why;
        ctx_.hub.report(std::move(e));
        srt_setrejectreason(socket, code);
        return -1;
    };
    if (!id) {
        return refuse(SRT_REJX_BAD_REQUEST, id.error().message(), {});
    }
    auto key = stream::StreamKey::parse(id->resource);
    if (!key) {
        return refuse(SRT_REJX_BAD_REQUEST, key.error().message(), id->resource);
    }
    bool publish = id->mode == SrtMode::Publish;
    auto allowed = ctx_.access.check(publish ? Action::Publish : Action::Play, *key,
                                     "/" + key->str(), id->query, address, unixNow());
    if (!allowed) {
        return refuse(SRT_REJX_UNAUTHORIZED,
                      (publish ? "publish to " : "play of ") + key->str() +
                          " refused: " + allowed.error().message(),
                      key->str());
    }
    return 0;
}

void SrtListener::start() {
    thread_ = std::thread([this] { run(); });
}

void SrtListener::stop() {
    if (stopping_.exchange(true)) {
        return;
    }
    if (thread_.joinable()) {
        thread_.join();
    }
    while (!sessions_.empty()) {
        closeSession(sessions_.begin()->first, "server shutting down");
    }
    if (epoll_ >= 0) {
        srt_epoll_release(epoll_);
        epoll_ = -1;
    }
    if (listener_ >= 0) {
        srt_close(listener_);
        listener_ = -1;
    }
}

void SrtListener::run() {
    std::array<SRT_EPOLL_EVENT, 64> ready{};
    while (!stopping_) {
        {
            std::vector<std::pair<int, std::string>> kicks;
            {
                std::lock_guard lock(kickMutex_);
                kicks.swap(kicks_);
            }
            for (const auto& [socket, reason] : kicks) {
                closeSession(socket, reason);
            }
        }
        auto now = std::chrono::steady_clock::now();
        if (now >= nextStats_) {
            pollStats();
            nextStats_ = now + std::chrono::seconds(1);
        }
        applyVerdicts();
        pumpPlayers();
        // Players are fed from the hub between waits: wait briefly while any is connected.
        int n = srt_epoll_uwait(epoll_, ready.data(), static_cast<int>(ready.size()),
                                players_ > 0 ? 10 : 100);
        for (int i = 0; i < n; ++i) {
            if (ready[i].fd == listener_) {
                acceptOne();
            } else if (ready[i].events & SRT_EPOLL_ERR) {
                closeSession(ready[i].fd, "connection broken");
            } else {
                readFrom(ready[i].fd);
            }
        }
    }
}

void SrtListener::acceptOne() {
    sockaddr_storage peer{};
    int peerLength = sizeof peer;
    SRTSOCKET s = srt_accept(listener_, reinterpret_cast<sockaddr*>(&peer), &peerLength);
    if (s == SRT_INVALID_SOCK) {
        return;
    }
    auto address = addressOf(reinterpret_cast<sockaddr*>(&peer));
    char idText[513] = {};
    int idLength = sizeof idText - 1;
    srt_getsockflag(s, SRTO_STREAMID, idText, &idLength);
    auto id = parseSrtStreamId(std::string_view(idText, static_cast<std::size_t>(idLength)));
    auto key = id ? stream::StreamKey::parse(id->resource)
                  : base::Result<stream::StreamKey>(base::fail(id.error()));
    if (!key) {
        srt_close(s);
        return;
    }
    auto admitted = ctx_.clients.admit("srt", address, [this, s](const std::string& reason) {
        std::lock_guard lock(kickMutex_);
        kicks_.emplace_back(s, reason);
    });
    if (!admitted) {
        log(base::LogLevel::Warning, "refused " + address + ": " + admitted.error().message());
        srt_close(s);
        return;
    }
    auto session = std::make_unique<Session>(*admitted, address, *key, redactedParam(id->query));
    if (id->mode == SrtMode::Request) {
        startPlayer(s, std::move(session), *key);
        return;
    }
    bool nonBlocking = false;
    srt_setsockflag(s, SRTO_RCVSYN, &nonBlocking, sizeof nonBlocking);
    int events = SRT_EPOLL_IN | SRT_EPOLL_ERR;
    srt_epoll_add_usock(epoll_, s, &events);
    auto& added = *sessions_.emplace(s, std::move(session)).first->second;
    if (ctx_.webhooks.checksPublish()) {
        added.checking = true;
        webhook::ClientFields who{added.client->id, address, key->app(), key->name(),
                                  added.param,      {},      "srt"};
        auto clientId = added.client->id;
        ctx_.webhooks.checkPublish(who, [this, s, clientId](webhook::PublishAnswer answer) {
            std::lock_guard lock(kickMutex_);
            verdicts_.push_back({s, clientId, answer.allowed, std::move(answer.reason)});
        });
        return;
    }
    startPublish(s, added);
}

void SrtListener::applyVerdicts() {
    std::vector<Verdict> verdicts;
    {
        std::lock_guard lock(kickMutex_);
        verdicts.swap(verdicts_);
    }
    for (auto& v : verdicts) {
        auto it = sessions_.find(v.socket);
        // The caller may have gone (and its socket id been reused) while the receiver thought.
        if (it == sessions_.end() || it->second->client->id != v.clientId ||
            !it->second->checking) {
            continue;
        }
        auto& session = *it->second;
        session.checking = false;
        if (!v.allowed) {
            auto why = "publish to " + session.key.str() +
                       " refused by the on_publish webhook: " + v.reason;
            log(base::LogLevel::Warning, "client " + std::to_string(session.client->id) + " (" +
                                             session.address + ") " + why);
            ctx_.hub.report({stream::HubEventType::AuthDenied,
                             {},
                             session.key.str(),
                             session.client->id,
                             "srt",
                             session.address,
                             why,
                             session.param});
            closeSession(v.socket, why);
            continue;
        }
        if (!v.reason.empty()) {
            log(base::LogLevel::Warning, "client " + std::to_string(session.client->id) + " (" +
                                             session.address + ") publish to " + session.key.str() +
                                             " not checked by the on_publish webhook: " + v.reason);
        }
        startPublish(v.socket, session);
    }
}

void SrtListener::startPublish(int socket, Session& session) {
    auto published =
        ctx_.hub.publish({session.key,
                          {session.client->id, "srt", session.address, session.param, {}},
                          [this, socket](const std::string& reason) {
                              std::lock_guard lock(kickMutex_);
                              kicks_.emplace_back(socket, reason);
                          }});
    if (!published) {
        log(base::LogLevel::Warning, "client " + std::to_string(session.client->id) + " (" +
                                         session.address +
                                         ") publish refused: " + published.error().message());
        closeSession(socket, "publish refused: " + published.error().message());
        return;
    }
    session.publisher = std::move(*published);
    session.ingest = std::make_unique<MediaIngest>(*session.publisher);
    ctx_.clients.describe(session.client->id, ClientRole::Publisher, session.key.str());
    log(base::LogLevel::Info, "client " + std::to_string(session.client->id) + " (" +
                                  session.address + ") publishes " + session.key.str());
}

void SrtListener::readFrom(int socket) {
    auto it = sessions_.find(socket);
    if (it == sessions_.end()) {
        return;
    }
    auto& session = *it->second;
    std::array<char, 1500> buffer{};
    if (session.player) {
        // A player sends nothing we use; read and discard so the socket does not fill.
        while (srt_recvmsg(socket, buffer.data(), static_cast<int>(buffer.size())) > 0) {
        }
        if (srt_getlasterror(nullptr) != SRT_EASYNCRCV) {
            closeSession(socket, "player closed: " + lastError());
        }
        return;
    }
    // While the on_publish webhook decides, the data is read (so libsrt's buffer does not
    // fill) and dropped: the stream has no publisher yet.
    if (!session.ingest) {
        for (;;) {
            int n = srt_recvmsg(socket, buffer.data(), static_cast<int>(buffer.size()));
            if (n == SRT_ERROR) {
                if (srt_getlasterror(nullptr) != SRT_EASYNCRCV) {
                    closeSession(socket, "publisher closed: " + lastError());
                }
                return;
            }
            if (n == 0) {
                return;
            }
            session.client->bytesIn += static_cast<std::uint64_t>(n);
        }
    }
    std::vector<mpegts::DemuxedPacket> packets;
    for (;;) {
        int n = srt_recvmsg(socket, buffer.data(), static_cast<int>(buffer.size()));
        if (n == SRT_ERROR) {
            if (srt_getlasterror(nullptr) == SRT_EASYNCRCV) {
                break;
            }
            closeSession(socket, "publisher closed: " + lastError());
            return;
        }
        if (n == 0) {
            break;
        }
        session.client->bytesIn += static_cast<std::uint64_t>(n);
        auto fed =
            session.demuxer.feed(std::span(reinterpret_cast<const std::uint8_t*>(buffer.data()),
                                           static_cast<std::size_t>(n)),
                                 packets);
        if (!fed) {
            closeSession(socket, fed.error().message());
            return;
        }
    }
    for (const auto& p : packets) {
        auto ok = p.kind == mpegts::DemuxedPacket::Kind::Video
                      ? session.ingest->onVideo(p.dtsMs, p.flvBody)
                      : session.ingest->onAudio(p.dtsMs, p.flvBody);
        if (!ok) {
            closeSession(socket, ok.error().message());
            return;
        }
    }
}

void SrtListener::startPlayer(int s, std::unique_ptr<Session> session,
                              const stream::StreamKey& key) {
    auto id = session->client->id;
    auto subscribed = ctx_.hub.subscribe(
        {key, {id, "srt", session->address, session->param, {}}, false, true, [] {}});
    if (!subscribed) {
        log(base::LogLevel::Warning, "client " + std::to_string(id) + " (" + session->address +
                                         ") play refused: " + subscribed.error().message());
        ctx_.clients.remove(id);
        srt_close(s);
        return;
    }
    session->player = std::make_unique<SrtPlayer>(s, std::move(*subscribed));
    ctx_.clients.describe(id, ClientRole::Player, key.str());
    bool nonBlocking = false;
    srt_setsockflag(s, SRTO_SNDSYN, &nonBlocking, sizeof nonBlocking);
    srt_setsockflag(s, SRTO_RCVSYN, &nonBlocking, sizeof nonBlocking);
    int events = SRT_EPOLL_IN | SRT_EPOLL_ERR;
    srt_epoll_add_usock(epoll_, s, &events);
    log(base::LogLevel::Info,
        "client " + std::to_string(id) + " (" + session->address + ") plays " + key.str());
    sessions_.emplace(s, std::move(session));
    ++players_;
}

void SrtListener::pumpPlayers() {
    std::vector<std::pair<int, std::string>> ended;
    auto now = ctx_.hub.now();
    for (auto& [socket, session] : sessions_) {
        if (!session->player) {
            continue;
        }
        auto sent = session->player->pump(now);
        if (!sent) {
            ended.emplace_back(socket, sent.error().message());
        } else {
            session->client->bytesOut += *sent;
        }
    }
    for (const auto& [socket, reason] : ended) {
        closeSession(socket, reason);
    }
}

void SrtListener::pollStats() {
    for (auto& [socket, session] : sessions_) {
        SRT_TRACEBSTATS perf{};
        if (srt_bstats(socket, &perf, 1) == SRT_ERROR) {
            continue;
        }
        session->retransmitted += count(perf.pktRcvRetrans);
        LinkStats link;
        link.rttMs = perf.msRTT;
        link.bandwidthMbps = perf.mbpsBandwidth;
        link.receiveRateMbps = perf.mbpsRecvRate;
        link.receiveBufferMs = perf.msRcvBuf;
        link.latencyMs = perf.msRcvTsbPdDelay;
        link.packetsReceived = count(perf.pktRecvTotal);
        link.packetsLost = count(perf.pktRcvLossTotal);
        link.packetsRetransmitted = session->retransmitted;
        link.packetsDropped = count(perf.pktRcvDropTotal);
        link.packetsUndecrypted = count(perf.pktRcvUndecryptTotal);
        ctx_.clients.setLink(session->client->id, link);
    }
}

void SrtListener::closeSession(int socket, const std::string& reason) {
    auto it = sessions_.find(socket);
    if (it == sessions_.end()) {
        return;
    }
    auto& session = *it->second;
    log(base::LogLevel::Info, "client " + std::to_string(session.client->id) + " (" +
                                  session.address + ") closed: " + reason);
    srt_epoll_remove_usock(epoll_, socket);
    srt_close(socket);
    session.ingest.reset();
    if (session.publisher) {
        session.publisher->setEndReason(reason);
    }
    session.publisher.reset();
    if (session.player) {
        session.player.reset();
        --players_;
    }
    ctx_.clients.remove(session.client->id);
    sessions_.erase(it);
}

} // namespace stagecast::server::srt
