#include "Http.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

namespace stagecast::test {

QJsonObject HttpReply::json() const {
    return QJsonDocument::fromJson(body).object();
}

HttpReply httpRequest(const QString& method, const QString& url, const QString& bearer,
                      int timeoutMs) {
    QNetworkAccessManager nam;
    QNetworkRequest request{QUrl(url)};
    if (!bearer.isEmpty()) {
        request.setRawHeader("Authorization", "Bearer " + bearer.toUtf8());
    }
    QNetworkReply* reply = nam.sendCustomRequest(request, method.toUtf8());
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
    if (reply->error() != QNetworkReply::NoError && r.error.isEmpty()) {
        r.error = reply->errorString();
    }
    reply->deleteLater();
    return r;
}

} // namespace stagecast::test
