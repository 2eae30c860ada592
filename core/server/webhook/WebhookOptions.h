#pragma once
/// What the webhook dispatcher needs, filled in by app/ from the [webhooks] section.

#include <chrono>
#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace stagecast::server::webhook {

/// The actions the server sends today; `WebhookDispatcher::post` takes others too (recording
/// and moderation events later) when the configuration routes them somewhere.
inline const std::vector<std::string>& knownActions() {
    static const std::vector<std::string> actions = {"on_publish", "on_unpublish", "on_play",
                                                     "on_stop", "on_relay"};
    return actions;
}

struct WebhookOptions {
    /// Receives every action listed in `events` that has no URL of its own; empty = none.
    std::string url;
    std::vector<std::string> events = knownActions();
    /// URLs of single actions, keyed by action ("on_play" -> URL). The "on_publish" entry is
    /// special: it is asked before each RTMP or SRT publish starts and its answer decides.
    std::map<std::string, std::string> eventUrls;
    /// HMAC-SHA256 key for X-Stagecast-Signature; empty = requests are not signed.
    std::string secret;
    /// One delivery attempt, connect to answer.
    std::chrono::milliseconds timeout{5000};
    /// Further attempts after a failed first one (connection error, timeout, 408, 429, 5xx).
    unsigned retries = 4;
    /// Delay before the first retry; each further retry doubles it (with +-20 % jitter), up
    /// to maxRetryDelay.
    std::chrono::milliseconds retryDelay{1000};
    std::chrono::milliseconds maxRetryDelay{60000};
    /// How long a publish waits for the on_publish answer.
    std::chrono::milliseconds publishTimeout{3000};
    /// When the on_publish URL cannot be reached or times out: allow (true) or refuse (false,
    /// as SRS does).
    bool failOpen = false;
    /// Deliveries waiting to be sent (incl. those waiting for a retry); past it the oldest is
    /// dropped and counted.
    std::size_t queueLimit = 1000;
    /// Requests in flight at once (notifications; publish checks are not limited by it).
    std::size_t maxInFlight = 4;
    /// On_publish checks waiting for an answer at once; past it a check fails at once.
    std::size_t maxPendingChecks = 256;
    /// https receivers: trusted certificates (PEM); empty = the system's CA store.
    std::string caFile;
    /// https receivers: check the certificate chain and that it names the URL's host.
    bool verifyTls = true;
    /// Sent as User-Agent.
    std::string version = "0.0.0";

    /// True when any URL is configured.
    bool enabled() const { return !url.empty() || !eventUrls.empty(); }
};

} // namespace stagecast::server::webhook
