#include "WebhookReceiver.h"

#include <QDeadlineTimer>
#include <QHostAddress>
#include <QJsonDocument>
#include <QTcpServer>
#include <QTcpSocket>

namespace stagecast::test {

namespace {

constexpr qsizetype kMaxRequestBytes = 1024 * 1024;

// Parses one complete request from `buffer`; false while more bytes are needed.
bool parseRequest(const QByteArray& buffer, ReceivedRequest& out) {
    const auto headerEnd = buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0) {
        return false;
    }
    const auto lines = buffer.left(headerEnd).split('\n');
    const auto requestLine = lines.value(0).trimmed().split(' ');
    out.method = QString::fromLatin1(requestLine.value(0));
    out.path = QString::fromLatin1(requestLine.value(1));
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const auto colon = lines[i].indexOf(':');
        if (colon > 0) {
            out.headers.insert(lines[i].left(colon).trimmed().toLower(),
                               lines[i].mid(colon + 1).trimmed());
        }
    }
    const auto length = out.headers.value("content-length").toLongLong();
    const auto bodyStart = headerEnd + 4;
    if (buffer.size() - bodyStart < length) {
        return false;
    }
    out.body = buffer.mid(bodyStart, length);
    return true;
}

QByteArray reasonPhrase(int status) {
    switch (status) {
    case 200:
        return "OK";
    case 403:
        return "Forbidden";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

} // namespace

QJsonObject ReceivedRequest::json() const {
    return QJsonDocument::fromJson(body).object();
}

WebhookReceiver::WebhookReceiver() {
    responder_ = [](const ReceivedRequest&) { return ReceiverAnswer{}; };
}

WebhookReceiver::~WebhookReceiver() {
    stop();
    if (thread_.isRunning()) {
        QMetaObject::invokeMethod(
            context_, [this] { delete context_; }, Qt::BlockingQueuedConnection);
        thread_.quit();
        thread_.wait();
    }
}

bool WebhookReceiver::start() {
    context_ = new QObject;
    context_->moveToThread(&thread_);
    thread_.start();
    bool ok = false;
    QMetaObject::invokeMethod(
        context_,
        [this, &ok] {
            server_ = new QTcpServer(context_);
            ok = server_->listen(QHostAddress::LocalHost, 0);
            port_ = server_->serverPort();
            QObject::connect(server_, &QTcpServer::newConnection, context_,
                             [this] { onConnection(); });
        },
        Qt::BlockingQueuedConnection);
    return ok;
}

void WebhookReceiver::stop() {
    if (!thread_.isRunning() || server_ == nullptr) {
        return;
    }
    QMetaObject::invokeMethod(
        context_,
        [this] {
            server_->close();
            // Open connections (a hung answer) end too: deleting the server deletes its
            // sockets, which are its children.
            delete server_;
            server_ = nullptr;
        },
        Qt::BlockingQueuedConnection);
}

QString WebhookReceiver::url(const QString& path) const {
    return QString("http://127.0.0.1:%1%2").arg(port_).arg(path);
}

void WebhookReceiver::setResponder(Responder responder) {
    std::lock_guard lock(mutex_);
    responder_ = std::move(responder);
}

QList<ReceivedRequest> WebhookReceiver::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

QList<ReceivedRequest> WebhookReceiver::requestsFor(const QString& action,
                                                    const QString& stream) const {
    QList<ReceivedRequest> out;
    for (const auto& r : requests()) {
        const auto json = r.json();
        if (json.value("action").toString() == action &&
            (stream.isEmpty() || json.value("stream").toString() == stream)) {
            out << r;
        }
    }
    return out;
}

QList<ReceivedRequest> WebhookReceiver::waitFor(const QString& action, const QString& stream,
                                                int count, int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    auto found = requestsFor(action, stream);
    while (found.size() < count && !deadline.hasExpired()) {
        QThread::msleep(20);
        found = requestsFor(action, stream);
    }
    return found;
}

void WebhookReceiver::onConnection() {
    while (auto* socket = server_->nextPendingConnection()) {
        auto buffer = std::make_shared<QByteArray>();
        QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer] {
            buffer->append(socket->readAll());
            if (buffer->size() > kMaxRequestBytes) {
                socket->abort();
                return;
            }
            ReceivedRequest request;
            if (!parseRequest(*buffer, request)) {
                return;
            }
            buffer->clear();
            Responder responder;
            {
                std::lock_guard lock(mutex_);
                responder = responder_;
            }
            const auto answer = responder(request);
            request.answeredStatus = answer.status;
            {
                std::lock_guard lock(mutex_);
                requests_ << request;
            }
            if (answer.status == 0) {
                return; // hang: the client's timeout has to end it
            }
            QByteArray response = "HTTP/1.1 " + QByteArray::number(answer.status) + " " +
                                  reasonPhrase(answer.status) +
                                  "\r\nContent-Type: application/json\r\nContent-Length: " +
                                  QByteArray::number(answer.body.size()) +
                                  "\r\nConnection: close\r\n\r\n" + answer.body;
            socket->write(response);
            socket->disconnectFromHost();
        });
        QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }
}

} // namespace stagecast::test
