#pragma once
// nginx with Debian's RTMP module as a real external origin, on a free loopback port.

#include <QList>
#include <QPair>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

namespace stagecast::test {

class NginxRtmp {
public:
    NginxRtmp();
    ~NginxRtmp();
    /// Before start(): also listen with TLS (nginx's stream module in front of the RTMP
    /// port) on tlsPort(), with a fresh self-signed certificate for "localhost" (certFile()).
    bool enableTls();
    /// After enableTls(), before start(): also a TLS listener (same certificate) that passes
    /// the decrypted bytes to 127.0.0.1:`targetPort` (e.g. an HTTP receiver: https in front
    /// of it). Returns the TLS port.
    int addTlsProxy(int targetPort);
    /// Starts nginx (on the same port as before when restarted); false with error() on failure.
    bool start();
    void stop();
    int port() const { return port_; }
    int tlsPort() const { return tlsPort_; }
    QString certFile() const;
    QString url(const QString& appStream) const;
    QString error() const { return error_; }

private:
    QTemporaryDir dir_;
    QProcess process_;
    int port_ = 0;
    int tlsPort_ = 0;
    QList<QPair<int, int>> proxies_; // TLS port -> plain target port
    QString error_;
};

/// A TCP port that was free a moment ago.
int freeTcpPort();

} // namespace stagecast::test
