#pragma once
// A small HTTP/1.1 receiver on loopback for webhook tests. It runs on its own thread (the
// test thread blocks in QProcess waits), records every request and answers each with what
// the test's responder says: a status and a body, or no answer at all.

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QThread>

#include <functional>
#include <memory>
#include <mutex>

class QObject;
class QTcpServer;

namespace stagecast::test {

struct ReceivedRequest {
    QString method;
    QString path;                         // with the query
    QMap<QByteArray, QByteArray> headers; // names lowercased
    QByteArray body;
    int answeredStatus = 0; // what the receiver answered; 0 = no answer

    QByteArray header(const QByteArray& name) const { return headers.value(name.toLower()); }
    /// The body as a JSON object (empty if it is none).
    QJsonObject json() const;
};

struct ReceiverAnswer {
    int status = 200; // 0 = never answer (the connection stays open until the peer gives up)
    QByteArray body = "0";
};

class WebhookReceiver {
public:
    using Responder = std::function<ReceiverAnswer(const ReceivedRequest&)>;

    WebhookReceiver();
    ~WebhookReceiver();
    WebhookReceiver(const WebhookReceiver&) = delete;
    WebhookReceiver& operator=(const WebhookReceiver&) = delete;

    /// Listens on 127.0.0.1 on a free port; false if it cannot.
    bool start();
    /// Stops listening and drops open connections: later requests are refused.
    void stop();
    quint16 port() const { return port_; }
    /// "http://127.0.0.1:PORT" + path
    QString url(const QString& path) const;

    /// Called on the receiver's thread for every complete request; default: 200 "0".
    void setResponder(Responder responder);
    QList<ReceivedRequest> requests() const;
    /// Requests whose JSON action is `action` (and stream `stream`, if given), in order.
    QList<ReceivedRequest> requestsFor(const QString& action, const QString& stream = {}) const;
    /// Waits until at least `count` requests match; returns them (fewer on timeout).
    QList<ReceivedRequest> waitFor(const QString& action, const QString& stream, int count,
                                   int timeoutMs);

private:
    void onConnection();

    QThread thread_;
    QObject* context_ = nullptr;   // lives on thread_
    QTcpServer* server_ = nullptr; // lives on thread_
    quint16 port_ = 0;
    mutable std::mutex mutex_;
    Responder responder_;
    QList<ReceivedRequest> requests_;
};

} // namespace stagecast::test
