#include "services/StudioClient.h"

#include <QJsonDocument>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace stagecast::services {

StudioClient::StudioClient(QString apiBase, QString token, QObject* parent)
    : QObject(parent), apiBase_(std::move(apiBase)), bearer_("Bearer " + token.toUtf8()) {}

void StudioClient::get(const QString& path, Done done) {
    send("GET", path, {}, std::move(done));
}

void StudioClient::post(const QString& path, const QJsonObject& body, Done done) {
    send("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact), std::move(done));
}

void StudioClient::put(const QString& path, const QJsonObject& body, Done done) {
    send("PUT", path, QJsonDocument(body).toJson(QJsonDocument::Compact), std::move(done));
}

void StudioClient::del(const QString& path, Done done) {
    send("DELETE", path, {}, std::move(done));
}

void StudioClient::getBytes(const QString& path, BytesDone done) {
    QNetworkRequest request(QUrl(apiBase_ + path));
    request.setRawHeader("Authorization", bearer_);
    request.setTransferTimeout(10000);
    QNetworkReply* reply = network_.get(request);
    connect(reply, &QNetworkReply::finished, this, [reply, done = std::move(done), path] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray body = reply->readAll();
        if (status == 200) {
            done(body, {});
            return;
        }
        QString error = QJsonDocument::fromJson(body).object().value("error").toString();
        if (error.isEmpty()) {
            error = status != 0 ? QString("HTTP %1 from %2").arg(status).arg(path)
                                : reply->errorString();
        }
        done({}, error);
    });
}

void StudioClient::send(const QString& method, const QString& path, const QByteArray& body,
                        Done done) {
    QNetworkRequest request(QUrl(apiBase_ + path));
    request.setRawHeader("Authorization", bearer_);
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
    request.setTransferTimeout(10000);
    QNetworkReply* reply = method == "GET"
                               ? network_.get(request)
                               : network_.sendCustomRequest(request, method.toUtf8(), body);
    connect(reply, &QNetworkReply::finished, this, [reply, done = std::move(done), path] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const auto json = QJsonDocument::fromJson(reply->readAll()).object();
        if (status >= 200 && status < 300) {
            done(json, {});
            return;
        }
        QString error = json.value("error").toString();
        if (error.isEmpty()) {
            error = status != 0 ? QString("HTTP %1 from %2").arg(status).arg(path)
                                : reply->errorString();
        }
        done(json, error);
    });
}

} // namespace stagecast::services
