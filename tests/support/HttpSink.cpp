#include "HttpSink.h"

#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>

#include <memory>

namespace stagecast::test {

namespace {

constexpr qsizetype kMaxRequestBytes = 64 * 1024 * 1024;

struct Request {
    QByteArray method;
    QString path;
    QMap<QByteArray, QByteArray> headers; // names lowercased
    QByteArray body;
};

// Takes one complete request off the front of `buffer`; false while more bytes are needed.
bool takeRequest(QByteArray& buffer, Request& out) {
    const auto headerEnd = buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0) {
        return false;
    }
    const auto lines = buffer.left(headerEnd).split('\n');
    const auto requestLine = lines.value(0).trimmed().split(' ');
    out.method = requestLine.value(0);
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
    buffer.remove(0, bodyStart + length);
    return true;
}

} // namespace

HttpSink::HttpSink() {
    context_ = new QObject;
    context_->moveToThread(&thread_);
    thread_.start();
}

HttpSink::~HttpSink() {
    stop();
    QMetaObject::invokeMethod(
        context_, [this] { delete context_; }, Qt::BlockingQueuedConnection);
    thread_.quit();
    thread_.wait();
}

bool HttpSink::start() {
    bool ok = false;
    QMetaObject::invokeMethod(
        context_,
        [this, &ok] {
            if (server_ != nullptr) {
                ok = true;
                return;
            }
            server_ = new QTcpServer(context_);
            ok = server_->listen(QHostAddress::LocalHost, port_);
            port_ = server_->serverPort();
            QObject::connect(server_, &QTcpServer::newConnection, context_,
                             [this] { onConnection(); });
        },
        Qt::BlockingQueuedConnection);
    return ok;
}

void HttpSink::stop() {
    QMetaObject::invokeMethod(
        context_,
        [this] {
            if (server_ != nullptr) {
                server_->close();
                delete server_; // its sockets are its children: open connections end too
                server_ = nullptr;
            }
        },
        Qt::BlockingQueuedConnection);
}

QString HttpSink::url(const QString& path) const {
    return QString("http://127.0.0.1:%1%2").arg(port_).arg(path);
}

StoredPut HttpSink::put(const QString& path) const {
    std::lock_guard lock(mutex_);
    return puts_.value(path);
}

QList<QString> HttpSink::putPaths() const {
    std::lock_guard lock(mutex_);
    return putOrder_;
}

QList<QString> HttpSink::deletes() const {
    std::lock_guard lock(mutex_);
    return deletes_;
}

int HttpSink::connections() const {
    std::lock_guard lock(mutex_);
    return connections_;
}

int HttpSink::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

void HttpSink::onConnection() {
    while (auto* socket = server_->nextPendingConnection()) {
        {
            std::lock_guard lock(mutex_);
            ++connections_;
        }
        auto buffer = std::make_shared<QByteArray>();
        QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer] {
            buffer->append(socket->readAll());
            if (buffer->size() > kMaxRequestBytes) {
                socket->abort();
                return;
            }
            Request request;
            while (takeRequest(*buffer, request)) {
                QByteArray status = "400 Bad Request";
                {
                    std::lock_guard lock(mutex_);
                    ++requests_;
                    if (request.method == "PUT") {
                        auto& stored = puts_[request.path];
                        stored.body = request.body;
                        stored.contentType = request.headers.value("content-type");
                        stored.authorization = request.headers.value("authorization");
                        ++stored.count;
                        if (!putOrder_.contains(request.path)) {
                            putOrder_ << request.path;
                        }
                        status = "201 Created";
                    } else if (request.method == "DELETE") {
                        deletes_ << request.path;
                        puts_.remove(request.path);
                        status = "204 No Content";
                    }
                }
                socket->write("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\n\r\n");
                request = Request{};
            }
        });
        QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }
}

} // namespace stagecast::test
