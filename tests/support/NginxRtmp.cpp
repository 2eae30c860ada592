#include "NginxRtmp.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QTcpServer>
#include <QTcpSocket>

namespace stagecast::test {

int freeTcpPort() {
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

NginxRtmp::NginxRtmp() : port_(freeTcpPort()) {
    process_.setProcessChannelMode(QProcess::MergedChannels);
}

NginxRtmp::~NginxRtmp() {
    stop();
}

QString NginxRtmp::certFile() const {
    return dir_.filePath("cert.pem");
}

bool NginxRtmp::enableTls() {
    QProcess openssl;
    openssl.setProcessChannelMode(QProcess::MergedChannels);
    openssl.start("openssl", {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                              "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
                              "-keyout", dir_.filePath("key.pem"), "-out", certFile()});
    if (!openssl.waitForFinished(60000) || openssl.exitCode() != 0) {
        error_ = "openssl could not make a certificate: " + QString::fromUtf8(openssl.readAll());
        return false;
    }
    tlsPort_ = freeTcpPort();
    return true;
}

int NginxRtmp::addTlsProxy(int targetPort) {
    const int port = freeTcpPort();
    proxies_.append({port, targetPort});
    return port;
}

bool NginxRtmp::start() {
    QString tls;
    if (tlsPort_ != 0) {
        tls = "load_module /usr/lib/nginx/modules/ngx_stream_module.so;\nstream {\n";
        auto proxies = proxies_;
        proxies.prepend({tlsPort_, port_});
        for (const auto& [listen, target] : proxies) {
            tls += QString("  server { listen 127.0.0.1:%1 ssl;\n"
                           "    ssl_certificate %2; ssl_certificate_key %3;\n"
                           "    proxy_pass 127.0.0.1:%4; }\n")
                       .arg(listen)
                       .arg(certFile(), dir_.filePath("key.pem"))
                       .arg(target);
        }
        tls += "}\n";
    }
    auto conf = QString("load_module /usr/lib/nginx/modules/ngx_rtmp_module.so;\n"
                        "daemon off;\nmaster_process off;\n"
                        "error_log %1/error.log info;\npid %1/nginx.pid;\n"
                        "events { worker_connections 1024; }\n"
                        "rtmp { server { listen 127.0.0.1:%2; chunk_size 4096;\n"
                        "  application live { live on; } } }\n")
                    .arg(dir_.path())
                    .arg(port_);
    // load_module must come first in the file.
    if (!tls.isEmpty()) {
        auto firstLine = conf.indexOf('\n') + 1;
        conf = conf.left(firstLine) + tls + conf.mid(firstLine);
    }
    QFile f(dir_.filePath("nginx.conf"));
    if (!f.open(QIODevice::WriteOnly)) {
        error_ = "cannot write nginx.conf";
        return false;
    }
    f.write(conf.toUtf8());
    f.close();
    process_.start("nginx", {"-p", dir_.path(), "-c", f.fileName()});
    if (!process_.waitForStarted(5000)) {
        error_ = "cannot start nginx: " + process_.errorString();
        return false;
    }
    QDeadlineTimer deadline(10000);
    while (!deadline.hasExpired()) {
        QTcpSocket s;
        s.connectToHost("127.0.0.1", static_cast<quint16>(port_));
        if (s.waitForConnected(200)) {
            return true;
        }
        if (process_.state() == QProcess::NotRunning) {
            break;
        }
        process_.waitForFinished(100);
    }
    QFile log(dir_.filePath("error.log"));
    log.open(QIODevice::ReadOnly);
    error_ = "nginx did not listen on " + QString::number(port_) + ": " +
             QString::fromUtf8(process_.readAll()) + QString::fromUtf8(log.readAll());
    return false;
}

void NginxRtmp::stop() {
    if (process_.state() != QProcess::NotRunning) {
        process_.terminate();
        if (!process_.waitForFinished(5000)) {
            process_.kill();
            process_.waitForFinished(3000);
        }
    }
}

QString NginxRtmp::url(const QString& appStream) const {
    return QString("rtmp://127.0.0.1:%1/%2").arg(port_).arg(appStream);
}

} // namespace stagecast::test
