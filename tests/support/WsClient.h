#pragma once
// A blocking WebSocket client for tests (Boost.Beast), with a timeout on every step.

#include <QJsonObject>
#include <QString>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace stagecast::test {

class WsClient {
public:
    WsClient();
    ~WsClient();
    WsClient(const WsClient&) = delete;
    WsClient& operator=(const WsClient&) = delete;

    /// Connects to ws://127.0.0.1:port + target. On failure returns false; `status()` holds
    /// the HTTP status of a refused upgrade (401, 403...) and `error()` the reason.
    bool connect(int port, const std::string& target, int timeoutMs = 5000);
    /// The next text message, nullopt on timeout or close (see `error()`).
    std::optional<std::string> read(int timeoutMs);
    void close();

    unsigned status() const { return status_; }
    const std::string& error() const { return error_; }

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    unsigned status_ = 0;
    std::string error_;
};

/// Reads event frames from `ws` until one of `topic` whose "data" passes `match`; that data,
/// or an empty object after `timeoutMs`.
QJsonObject waitForTopicEvent(WsClient& ws, const QString& topic,
                              const std::function<bool(const QJsonObject&)>& match,
                              int timeoutMs = 15000);

} // namespace stagecast::test
