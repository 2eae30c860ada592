#include "WebhookDispatcher.h"

#include <algorithm>

#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <nlohmann/json.hpp>

#include "base/Log.h"
#include "server/webhook/Backoff.h"
#include "server/webhook/WebhookSignature.h"

namespace stagecast::server::webhook {

namespace asio = boost::asio;

namespace {

void log(base::LogLevel level, const std::string& text) {
    base::log(level, "webhook", text);
}

std::string makeServerId() {
    std::random_device random;
    static constexpr char kHex[] = "0123456789abcdef";
    std::string id = "stagecast-";
    for (int i = 0; i < 8; ++i) {
        id += kHex[random() % 16];
    }
    return id;
}

// Client-controlled strings (a stream name, a query) may hold invalid UTF-8; they must not
// make serialisation throw on a network thread.
std::string dump(const nlohmann::json& body) {
    return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::int64_t unixSeconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace

WebhookDispatcher::WebhookDispatcher(WebhookOptions options)
    : options_(std::move(options)), serverId_(makeServerId()), queue_(options_.queueLimit),
      rng_(std::random_device{}()) {}

WebhookDispatcher::~WebhookDispatcher() {
    stop(std::chrono::milliseconds(0));
}

base::Status WebhookDispatcher::setUpTls() {
    bool anyTls = (all_ && all_->tls) || (gate_ && gate_->tls);
    for (const auto& [action, url] : single_) {
        anyTls = anyTls || url.tls;
    }
    if (!anyTls) {
        return {};
    }
    namespace ssl = boost::asio::ssl;
    tls_ = std::make_unique<ssl::context>(ssl::context::tls_client);
    tls_->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                      ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    boost::system::error_code ec;
    if (!options_.caFile.empty()) {
        tls_->load_verify_file(options_.caFile, ec);
        if (ec) {
            return base::fail("webhooks.ca_file: cannot load '" + options_.caFile +
                              "': " + ec.message());
        }
    } else {
        tls_->set_default_verify_paths(ec);
        if (ec) {
            return base::fail("webhooks: cannot load the system's trusted certificates: " +
                              ec.message());
        }
    }
    tls_->set_verify_mode(options_.verifyTls ? ssl::verify_peer : ssl::verify_none);
    if (!options_.verifyTls) {
        log(base::LogLevel::Warning,
            "webhooks.tls_verify is off: https receivers' certificates are not checked");
    }
    return {};
}

base::Status WebhookDispatcher::start() {
    if (thread_.joinable()) {
        return {};
    }
    const auto& known = knownActions();
    if (!options_.url.empty()) {
        auto url = parseWebhookUrl(options_.url);
        if (!url) {
            return base::fail(url.error().withContext("webhooks.url"));
        }
        all_ = std::move(*url);
    }
    for (const auto& [action, text] : options_.eventUrls) {
        if (text.empty()) {
            continue;
        }
        if (std::find(known.begin(), known.end(), action) == known.end()) {
            return base::fail("webhooks." + action + ": unknown event");
        }
        auto url = parseWebhookUrl(text);
        if (!url) {
            return base::fail(url.error().withContext("webhooks." + action));
        }
        if (action == "on_publish") {
            gate_ = std::move(*url);
        } else {
            single_.emplace(action, std::move(*url));
        }
    }
    if (!all_ && single_.empty() && !gate_) {
        return {};
    }
    if (auto ok = setUpTls(); !ok) {
        return ok;
    }
    {
        std::lock_guard lock(mutex_);
        accepting_ = true;
    }
    work_.emplace(io_.get_executor());
    thread_ = std::thread([this] { io_.run(); });
    std::string where = all_ ? all_->display : std::string("per-event URLs only");
    log(base::LogLevel::Info,
        "sending webhooks to " + where +
            (gate_ ? "; publishes wait for on_publish at " + gate_->display +
                         (options_.failOpen ? " (fail open)" : " (fail closed)")
                   : std::string()));
    return {};
}

void WebhookDispatcher::stop(std::chrono::milliseconds grace) {
    if (!thread_.joinable()) {
        return;
    }
    {
        std::lock_guard lock(mutex_);
        accepting_ = false;
    }
    // Let what is due now (the unpublish events of the sessions just closed) go out.
    auto deadline = std::chrono::steady_clock::now() + grace;
    while (std::chrono::steady_clock::now() < deadline) {
        bool due = false;
        {
            std::lock_guard lock(mutex_);
            auto next = queue_.nextDue();
            due = next && *next <= std::chrono::steady_clock::now();
        }
        if (!due && inFlight_ == 0) {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    work_.reset();
    io_.stop();
    thread_.join();
    std::size_t abandoned = 0;
    {
        std::lock_guard lock(mutex_);
        abandoned = queue_.clear();
    }
    abandoned += inFlight_.exchange(0);
    if (abandoned > 0) {
        dropped_ += abandoned;
        log(base::LogLevel::Warning,
            std::to_string(abandoned) + " webhook deliveries abandoned at shutdown");
    }
}

const WebhookUrl* WebhookDispatcher::urlFor(std::string_view action) const {
    if (auto it = single_.find(std::string(action)); it != single_.end()) {
        return &it->second;
    }
    if (action == "on_publish" && gate_) {
        return nullptr; // asked before the publish started; not told again
    }
    if (all_ && std::find(options_.events.begin(), options_.events.end(), action) !=
                    options_.events.end()) {
        return &*all_;
    }
    return nullptr;
}

void WebhookDispatcher::onHubEvent(const stream::HubEvent& event) {
    auto action = actionForHubEvent(event);
    if (!action) {
        return;
    }
    const auto* url = urlFor(*action);
    if (url == nullptr) {
        return;
    }
    auto body = bodyForHubEvent(event, serverId_);
    if (body) {
        enqueue(std::move(body->action), *url, dump(body->body));
    }
}

void WebhookDispatcher::post(std::string action, nlohmann::json fields) {
    const auto* url = urlFor(action);
    if (url == nullptr) {
        return;
    }
    auto body = fields.is_object() ? std::move(fields) : nlohmann::json::object();
    // The common fields win over same-named ones in `fields`.
    body.update(commonFields(action, serverId_, std::chrono::system_clock::now()));
    enqueue(std::move(action), *url, dump(body));
}

void WebhookDispatcher::enqueue(std::string action, const WebhookUrl& url, std::string body) {
    std::string dropNote;
    {
        std::lock_guard lock(mutex_);
        if (!accepting_) {
            return;
        }
        Delivery d;
        d.id = nextId_++;
        d.action = std::move(action);
        d.url = url.display;
        d.target = &url;
        d.body = std::move(body);
        if (auto dropped = queue_.push(std::move(d))) {
            ++dropped_;
            ++dropsSinceLog_;
            auto now = std::chrono::steady_clock::now();
            // One warning per second at most: a receiver that is down for long would
            // otherwise fill the log with one line per event.
            if (now - lastDropLog_ >= std::chrono::seconds(1)) {
                dropNote = "queue full (" + std::to_string(queue_.limit()) +
                           " waiting): dropped the oldest delivery (" + dropped->action + " to " +
                           dropped->url + "); " + std::to_string(dropsSinceLog_) +
                           " dropped since the last warning, " + std::to_string(dropped_.load()) +
                           " in all";
                dropsSinceLog_ = 0;
                lastDropLog_ = now;
            }
        }
    }
    if (!dropNote.empty()) {
        log(base::LogLevel::Warning, dropNote);
    }
    wake();
}

void WebhookDispatcher::wake() {
    if (!wakePending_.exchange(true)) {
        asio::post(io_, [this] {
            wakePending_ = false;
            pump();
        });
    }
}

void WebhookDispatcher::pump() {
    auto now = std::chrono::steady_clock::now();
    while (inFlight_ < options_.maxInFlight) {
        std::optional<Delivery> due;
        {
            std::lock_guard lock(mutex_);
            due = queue_.popDue(now);
        }
        if (!due) {
            break;
        }
        send(std::move(*due));
    }
    std::optional<std::chrono::steady_clock::time_point> next;
    {
        std::lock_guard lock(mutex_);
        next = queue_.nextDue();
    }
    // Due ones that found every slot taken go when a request finishes; later ones need the
    // timer.
    if (next && *next > now) {
        timer_.expires_at(*next);
        timer_.async_wait([this](const boost::system::error_code& ec) {
            if (!ec) {
                pump();
            }
        });
    }
}

std::vector<HttpHeader> WebhookDispatcher::headersFor(const std::string& action, std::uint64_t id,
                                                      unsigned attempt,
                                                      const std::string& body) const {
    auto timestamp = unixSeconds();
    std::vector<HttpHeader> headers = {
        {"User-Agent", "Stagecast/" + options_.version},
        {"X-Stagecast-Event", action},
        {"X-Stagecast-Delivery", std::to_string(id)},
        {"X-Stagecast-Attempt", std::to_string(attempt)},
        {"X-Stagecast-Timestamp", std::to_string(timestamp)},
    };
    if (!options_.secret.empty()) {
        headers.emplace_back("X-Stagecast-Signature",
                             signatureHeader(options_.secret, timestamp, body));
    }
    return headers;
}

void WebhookDispatcher::send(Delivery delivery) {
    ++delivery.attempts;
    ++inFlight_;
    auto headers = headersFor(delivery.action, delivery.id, delivery.attempts, delivery.body);
    const WebhookUrl& url = *delivery.target;
    auto body = delivery.body;
    postJson(io_, tls_.get(), url, std::move(headers), std::move(body), options_.timeout,
             [this, d = std::move(delivery)](base::Result<HttpAnswer> result) mutable {
                 --inFlight_;
                 onSent(std::move(d), result);
                 pump();
             });
}

void WebhookDispatcher::onSent(Delivery delivery, const base::Result<HttpAnswer>& result) {
    const unsigned status = result ? result->status : 0;
    if (result && status >= 200 && status < 300) {
        ++delivered_;
        return;
    }
    const std::string why = result ? "HTTP " + std::to_string(status) : result.error().message();
    const std::string what =
        delivery.action + " (delivery " + std::to_string(delivery.id) + ") to " + delivery.url;
    bool accepting = false;
    {
        std::lock_guard lock(mutex_);
        accepting = accepting_;
    }
    if (accepting && isRetryable(status) && delivery.attempts <= options_.retries) {
        ++retries_;
        std::uniform_real_distribution<double> unit(0.0, 1.0);
        auto delay =
            retryDelay(delivery.attempts, options_.retryDelay, options_.maxRetryDelay, unit(rng_));
        log(base::LogLevel::Info, "webhook " + what + " failed: " + why + "; retry " +
                                      std::to_string(delivery.attempts) + " of " +
                                      std::to_string(options_.retries) + " in " +
                                      std::to_string(delay.count()) + " ms");
        delivery.notBefore = std::chrono::steady_clock::now() + delay;
        std::optional<Delivery> dropped;
        {
            std::lock_guard lock(mutex_);
            dropped = queue_.push(std::move(delivery));
        }
        if (dropped) {
            ++dropped_;
            log(base::LogLevel::Warning, "queue full: dropped the oldest delivery (" +
                                             dropped->action + " to " + dropped->url + ")");
        }
        return;
    }
    ++failed_;
    log(base::LogLevel::Warning, "webhook " + what + " failed after " +
                                     std::to_string(delivery.attempts) + " attempt" +
                                     (delivery.attempts == 1 ? "" : "s") + ": " + why);
}

void WebhookDispatcher::checkPublish(const ClientFields& client, CheckDone done) {
    if (!gate_ || !thread_.joinable()) {
        done({true, {}});
        return;
    }
    auto body =
        dump(clientEventBody("on_publish", serverId_, std::chrono::system_clock::now(), client));
    asio::post(io_, [this, body = std::move(body), done = std::move(done)]() mutable {
        runCheck(std::move(body), std::move(done));
    });
}

void WebhookDispatcher::runCheck(std::string body, CheckDone done) {
    std::uint64_t id = 0;
    {
        std::lock_guard lock(mutex_);
        id = nextId_++;
    }
    auto onError = [this](const std::string& why) -> PublishAnswer {
        ++publishErrors_;
        if (options_.failOpen) {
            ++publishAllowed_;
            return {true, why + "; allowed because fail_open"};
        }
        ++publishRefused_;
        return {false, why};
    };
    if (pendingChecks_ >= options_.maxPendingChecks) {
        done(onError("has " + std::to_string(pendingChecks_) +
                     " checks waiting already (the limit)"));
        return;
    }
    ++pendingChecks_;
    auto headers = headersFor("on_publish", id, 1, body);
    postJson(io_, tls_.get(), *gate_, std::move(headers), std::move(body), options_.publishTimeout,
             [this, done = std::move(done), onError](base::Result<HttpAnswer> result) {
                 --pendingChecks_;
                 if (!result) {
                     done(onError("unreachable: " + result.error().message()));
                     return;
                 }
                 // A 5xx is a broken receiver, not a verdict: fail_open decides.
                 if (result->status >= 500) {
                     done(onError("failed: HTTP " + std::to_string(result->status)));
                     return;
                 }
                 auto answer = judgePublishAnswer(result->status, result->body);
                 ++(answer.allowed ? publishAllowed_ : publishRefused_);
                 done(std::move(answer));
             });
}

WebhookCounters WebhookDispatcher::counters() const {
    WebhookCounters c;
    c.delivered = delivered_;
    c.failed = failed_;
    c.dropped = dropped_;
    c.retries = retries_;
    {
        std::lock_guard lock(mutex_);
        c.queued = queue_.size();
    }
    c.publishAllowed = publishAllowed_;
    c.publishRefused = publishRefused_;
    c.publishErrors = publishErrors_;
    return c;
}

} // namespace stagecast::server::webhook
