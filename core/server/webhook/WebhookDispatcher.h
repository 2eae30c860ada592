#pragma once
/// Sends webhooks: HTTP POSTs of JSON events (docs/webhooks.md) to the configured receivers,
/// signed, retried with backoff, from a bounded queue; and asks the on_publish receiver
/// whether a publish may start.
///
/// Threads: onHubEvent(), post() and checkPublish() may be called from any thread, including
/// network threads holding hub locks: they only build a small body, enqueue it under a mutex
/// and post to the dispatcher's own thread, which runs one io_context and does every HTTP
/// exchange. counters() from any thread. start() and stop() from the owning thread.
/// Owned by Server; outlives every session.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json_fwd.hpp>

#include "base/Result.h"
#include "server/webhook/DeliveryQueue.h"
#include "server/webhook/HttpPoster.h"
#include "server/webhook/WebhookAnswer.h"
#include "server/webhook/WebhookEvent.h"
#include "server/webhook/WebhookOptions.h"
#include "server/webhook/WebhookUrl.h"
#include "stream/HubEvent.h"

namespace stagecast::server::webhook {

struct WebhookCounters {
    std::uint64_t delivered = 0; // answered 2xx
    std::uint64_t failed = 0;    // gave up: attempts used up or a non-retryable answer
    std::uint64_t dropped = 0;   // pushed out of the full queue, or abandoned at shutdown
    std::uint64_t retries = 0;   // attempts after the first
    std::uint64_t queued = 0;    // waiting now (incl. waiting for a retry)
    std::uint64_t publishAllowed = 0;
    std::uint64_t publishRefused = 0;
    std::uint64_t publishErrors = 0; // on_publish receiver unreachable, timed out or 5xx
};

class WebhookDispatcher : public stream::HubEventListener {
public:
    /// Called once with the verdict, on the dispatcher's thread: post it to your own.
    using CheckDone = std::function<void(PublishAnswer)>;

    explicit WebhookDispatcher(WebhookOptions options);
    ~WebhookDispatcher() override;
    WebhookDispatcher(const WebhookDispatcher&) = delete;
    WebhookDispatcher& operator=(const WebhookDispatcher&) = delete;

    /// Checks every URL (the error names the key: "webhooks.on_play: webhook URL ...") and,
    /// when any is configured, starts the delivery thread. Without URLs it does nothing.
    base::Status start();
    /// Stops taking events, sends what is due for at most `grace`, then stops the thread.
    /// Deliveries still waiting (for a retry, or past the grace) are abandoned and counted
    /// as dropped. A pending publish check's `done` is not called after stop(). Idempotent.
    void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(2000));

    void onHubEvent(const stream::HubEvent& event) override;

    /// Queues `action` with `fields` (a JSON object, e.g. {"app":..,"stream":..}) for the
    /// receivers that take it; action, server_id and time are added. Events nobody takes are
    /// ignored. The open door for events the hub does not emit (recordings, moderation).
    void post(std::string action, nlohmann::json fields);

    /// True when an on_publish URL is configured: publishes must wait for checkPublish().
    bool checksPublish() const { return gate_.has_value(); }
    /// Asks the on_publish receiver about `client`; `done` gets the verdict within about
    /// the configured on_publish timeout.
    void checkPublish(const ClientFields& client, CheckDone done);

    WebhookCounters counters() const;
    /// Sent as server_id: random per process, like SRS's.
    const std::string& serverId() const { return serverId_; }

private:
    /// The TLS client context when any URL is https; fails naming a bad ca_file.
    base::Status setUpTls();
    const WebhookUrl* urlFor(std::string_view action) const;
    void enqueue(std::string action, const WebhookUrl& url, std::string body);
    void wake();
    void pump();
    void send(Delivery delivery);
    void onSent(Delivery delivery, const base::Result<HttpAnswer>& result);
    void runCheck(std::string body, CheckDone done);
    std::vector<HttpHeader> headersFor(const std::string& action, std::uint64_t id,
                                       unsigned attempt, const std::string& body) const;

    const WebhookOptions options_;
    const std::string serverId_;
    std::optional<WebhookUrl> all_;            // options_.url
    std::map<std::string, WebhookUrl> single_; // options_.eventUrls except on_publish
    std::optional<WebhookUrl> gate_;           // options_.eventUrls["on_publish"]

    boost::asio::io_context io_{1};
    std::unique_ptr<boost::asio::ssl::context> tls_; // when a URL is https
    std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
    boost::asio::steady_timer timer_{io_};
    std::thread thread_;

    mutable std::mutex mutex_; // guards queue_, accepting_, nextId_, drop notes
    DeliveryQueue queue_;
    bool accepting_ = false;
    std::uint64_t nextId_ = 1;
    std::chrono::steady_clock::time_point lastDropLog_{};
    std::uint64_t dropsSinceLog_ = 0;

    std::atomic<bool> wakePending_{false};
    std::atomic<std::size_t> inFlight_{0};
    std::size_t pendingChecks_ = 0; // dispatcher thread only
    std::mt19937 rng_;              // dispatcher thread only (retry jitter)

    std::atomic<std::uint64_t> delivered_{0};
    std::atomic<std::uint64_t> failed_{0};
    std::atomic<std::uint64_t> dropped_{0};
    std::atomic<std::uint64_t> retries_{0};
    std::atomic<std::uint64_t> publishAllowed_{0};
    std::atomic<std::uint64_t> publishRefused_{0};
    std::atomic<std::uint64_t> publishErrors_{0};
};

} // namespace stagecast::server::webhook
