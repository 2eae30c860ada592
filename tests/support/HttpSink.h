#pragma once
// An HTTP origin on loopback for output tests: it accepts PUT (stores the body by path,
// newest wins) and DELETE (records it, forgets the body), answers 201/204 on keep-alive
// connections, and can be stopped and started again on the same port to play an origin
// that goes away. Runs on its own thread (the test thread blocks in QProcess waits).

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QThread>

#include <mutex>

class QObject;
class QTcpServer;

namespace stagecast::test {

struct StoredPut {
    QByteArray body;
    QByteArray contentType;
    QByteArray authorization;
    int count = 0; // PUTs to this path so far
};

class HttpSink {
public:
    HttpSink();
    ~HttpSink();
    HttpSink(const HttpSink&) = delete;
    HttpSink& operator=(const HttpSink&) = delete;

    /// Listens on 127.0.0.1: on a free port the first time, on the same port after stop().
    bool start();
    /// Stops listening and drops open connections.
    void stop();
    quint16 port() const { return port_; }
    QString url(const QString& path = {}) const;

    /// The last body PUT to `path` ("/hls/live/a/index.m3u8"); absent: count 0.
    StoredPut put(const QString& path) const;
    QList<QString> putPaths() const;
    QList<QString> deletes() const;
    /// Connections accepted so far.
    int connections() const;
    /// Requests in all, PUT and DELETE.
    int requests() const;

private:
    void onConnection();

    QThread thread_;
    QObject* context_ = nullptr;   // lives on thread_
    QTcpServer* server_ = nullptr; // lives on thread_
    quint16 port_ = 0;
    mutable std::mutex mutex_;
    QMap<QString, StoredPut> puts_;
    QList<QString> putOrder_;
    QList<QString> deletes_;
    int connections_ = 0;
    int requests_ = 0;
};

} // namespace stagecast::test
