#include "Http.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

namespace stagecast::test {

QByteArray HttpReply::header(const QByteArray& name) const {
    for (const auto& [key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0) {
            return value;
        }
    }
    return {};
}

QJsonObject HttpReply::json() const {
    return QJsonDocument::fromJson(body).object();
}

namespace {

HttpReply exchange(const QString& method, const QString& url, const QByteArray* body,
                   const QString& bearer, const QString& contentType, int timeoutMs,
                   bool followRedirects = true,
                   const QList<QPair<QByteArray, QByteArray>>& extra = {}) {
    QNetworkAccessManager nam;
    QNetworkRequest request{QUrl(url)};
    if (!followRedirects) {
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                             QNetworkRequest::ManualRedirectPolicy);
    }
    if (!bearer.isEmpty()) {
        request.setRawHeader("Authorization", "Bearer " + bearer.toUtf8());
    }
    for (const auto& [name, value] : extra) {
        request.setRawHeader(name, value);
    }
    QNetworkReply* reply = nullptr;
    if (body != nullptr) {
        request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
        reply = nam.sendCustomRequest(request, method.toUtf8(), *body);
    } else {
        reply = nam.sendCustomRequest(request, method.toUtf8());
    }
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    timer.start(timeoutMs);
    loop.exec();
    HttpReply r;
    if (!reply->isFinished()) {
        reply->abort();
        r.error = "timeout";
    }
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    r.url = reply->url();
    r.location = QString::fromUtf8(reply->rawHeader("Location"));
    r.contentType = QString::fromUtf8(reply->rawHeader("Content-Type"));
    r.headers = reply->rawHeaderPairs();
    if (reply->error() != QNetworkReply::NoError && r.error.isEmpty()) {
        r.error = reply->errorString();
    }
    reply->deleteLater();
    return r;
}

} // namespace

HttpReply httpRequest(const QString& method, const QString& url, const QString& bearer,
                      int timeoutMs) {
    return exchange(method, url, nullptr, bearer, {}, timeoutMs);
}

HttpReply httpGetWithHeaders(const QString& url, const QString& bearer,
                             const QList<QPair<QByteArray, QByteArray>>& headers, int timeoutMs) {
    return exchange("GET", url, nullptr, bearer, {}, timeoutMs, true, headers);
}

HttpReply httpGetNoRedirect(const QString& url, int timeoutMs) {
    return exchange("GET", url, nullptr, {}, {}, timeoutMs, false);
}

HttpReply httpSend(const QString& method, const QString& url, const QByteArray& body,
                   const QString& bearer, const QString& contentType, int timeoutMs) {
    return exchange(method, url, &body, bearer, contentType, timeoutMs);
}

} // namespace stagecast::test
