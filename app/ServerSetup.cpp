#include "ServerSetup.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include "app/DataDir.h"
#include "server/auth/IpAcl.h"

namespace stagecast::app {

base::Result<Secrets> resolveSecrets(const config::Config& cfg,
                                     const std::filesystem::path& dataDir) {
    Secrets s;
    if (!cfg.auth.key.empty()) {
        s.authKey = cfg.auth.key;
    } else {
        auto key = loadOrCreateSecret(dataDir, "auth_key");
        if (!key) {
            return base::fail(key.error());
        }
        s.authKey = *key;
    }
    if (!cfg.api.token.empty()) {
        s.apiToken = cfg.api.token;
    } else {
        auto token = loadOrCreateSecret(dataDir, "api_token");
        if (!token) {
            return base::fail(token.error());
        }
        s.apiToken = *token;
    }
    if (!cfg.webhooks.secret.empty()) {
        s.webhookSecret = cfg.webhooks.secret;
    } else if (cfg.webhooks.enabled()) {
        auto secret = loadOrCreateSecret(dataDir, "webhook_secret");
        if (!secret) {
            return base::fail(secret.error());
        }
        s.webhookSecret = *secret;
    }
    return s;
}

base::Result<server::ServerOptions> makeServerOptions(const config::Config& cfg,
                                                      const Secrets& secrets) {
    server::ServerOptions o;
    o.bindAddress = cfg.server.bind;
    o.rtmpPort = cfg.server.rtmpPort;
    o.httpPort = cfg.server.httpPort;
    o.srtPort = cfg.server.srtPort;
    o.srt.passphrase = cfg.srt.passphrase;
    o.srt.latency = cfg.srt.latency;
    o.hls.mode = static_cast<server::hls::HlsMode>(cfg.hls.mode);
    o.hls.segmentTarget = cfg.hls.segment;
    o.hls.windowSegments = cfg.hls.windowSegments;
    o.hls.idleStop = cfg.hls.idleStop;
    o.hls.sessionTimeout = cfg.hls.sessionTimeout;
    o.hls.maxStreamBytes = cfg.hls.maxStreamBytes;
    o.hls.maxStreams = cfg.hls.maxStreams;
    o.hls.lowLatency = cfg.hls.lowLatency;
    o.hls.partTarget = cfg.hls.part;
    o.hls.folder = cfg.hls.folder; // main() makes a relative folder the data folder's
    o.hls.encrypt = cfg.hls.encrypt;
    o.hls.keyRotateSegments = cfg.hls.keyRotateSegments;
    o.hls.keyFolder = cfg.hls.keyFolder; // main() resolves it like hls.folder
    o.hls.originUrl = cfg.hls.originUrl;
    o.hls.originDelete = cfg.hls.originDelete;
    o.hls.originHeader = cfg.hls.originHeader;
    o.hls.originTimeout = cfg.hls.originTimeout;
    o.hls.originCaFile = cfg.hls.originCaFile;
    o.hls.originTlsVerify = cfg.hls.originTlsVerify;
    o.hls.dvrWindow = cfg.hls.dvrWindow;
    o.hls.dvrFolder = cfg.hls.dvrFolder; // main() resolves it like hls.folder
    o.hls.dvrMaxBytes = cfg.hls.dvrMaxBytes;
    if (cfg.hls.encrypt && (!cfg.hls.folder.empty() || !cfg.hls.originUrl.empty())) {
        const auto host = publicHost(cfg);
        o.hls.keyUriHost = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    }
    o.ioThreads = cfg.server.ioThreads;

    o.hub.onDuplicatePublish = cfg.hub.onDuplicatePublish == config::DuplicatePublish::Takeover
                                   ? stream::DuplicatePublish::TakeOver
                                   : stream::DuplicatePublish::Reject;
    o.hub.stream.gopCache = cfg.hub.gopCache;
    o.hub.stream.maxGopCacheBytes = cfg.hub.maxGopCacheBytes;
    o.hub.stream.readerPolicy.skipBacklog = cfg.hub.readerSkipBacklog;
    o.hub.stream.readerPolicy.maxBacklogBytes = cfg.hub.readerMaxBacklogBytes;
    o.hub.stream.readerPolicy.disconnectAfter = cfg.hub.readerDisconnectAfter;

    o.access.publishAuth = cfg.auth.publish;
    o.access.playAuth = cfg.auth.play;
    o.access.keys.primary = secrets.authKey;
    o.access.keys.secondary = cfg.auth.secondaryKey;
    o.access.keys.window = cfg.auth.window;
    for (const auto& [app, rules] : cfg.acl) {
        auto acl = server::auth::IpAcl::make(rules.allow, rules.deny);
        if (!acl) {
            return base::fail(acl.error().withContext("acl." + app));
        }
        o.access.acls.emplace(app, std::move(*acl));
    }

    o.clients.maxConnections = cfg.limits.maxConnections;
    o.clients.maxPerAddress = cfg.limits.maxConnectionsPerIp;
    o.maxMessageBytes = static_cast<std::uint32_t>(cfg.limits.maxMessageBytes);
    o.maxChunkStreams = cfg.limits.maxChunkStreams;
    o.handshakeTimeout = cfg.limits.handshakeTimeout;
    o.idleTimeout = cfg.limits.idleTimeout;
    o.httpMaxHeaderBytes = cfg.limits.httpMaxHeaderBytes;

    for (const auto& r : cfg.relays) {
        o.relays.push_back({r.stream, r.url, r.caFile, r.tlsVerify});
    }
    const auto& w = cfg.webhooks;
    o.webhooks.url = w.url;
    o.webhooks.events = w.events;
    for (const auto& [action, url] :
         {std::pair<const char*, const std::string&>{"on_publish", w.onPublish},
          {"on_unpublish", w.onUnpublish},
          {"on_play", w.onPlay},
          {"on_stop", w.onStop},
          {"on_relay", w.onRelay}}) {
        if (!url.empty()) {
            o.webhooks.eventUrls.emplace(action, url);
        }
    }
    o.webhooks.secret = secrets.webhookSecret;
    o.webhooks.timeout = w.timeout;
    o.webhooks.retries = w.retries;
    o.webhooks.retryDelay = w.retryDelay;
    o.webhooks.publishTimeout = w.onPublishTimeout;
    o.webhooks.failOpen = w.failOpen;
    o.webhooks.queueLimit = w.queueSize;
    o.webhooks.caFile = w.caFile;
    o.webhooks.verifyTls = w.tlsVerify;
    o.webhooks.version = STAGECAST_VERSION;
    o.apiToken = secrets.apiToken;
    o.apiAllowRemote = cfg.api.allowRemote;
    o.corsOrigin = cfg.api.corsOrigin;
    o.version = STAGECAST_VERSION;
    return o;
}

std::string publicHost(const config::Config& cfg) {
    if (!cfg.server.publicHost.empty()) {
        return cfg.server.publicHost;
    }
    if (cfg.server.bind != "0.0.0.0" && cfg.server.bind != "::") {
        return cfg.server.bind;
    }
    // Connecting a UDP socket sends nothing; it only asks the routing table which local
    // address would be used.
    boost::asio::io_context io;
    boost::asio::ip::udp::socket probe(io);
    boost::system::error_code ec;
    probe.connect({boost::asio::ip::make_address("192.0.2.1"), 9}, ec);
    if (!ec) {
        auto local = probe.local_endpoint(ec);
        if (!ec && !local.address().is_unspecified()) {
            return local.address().to_string();
        }
    }
    return "127.0.0.1";
}

} // namespace stagecast::app
