#pragma once
// Blocking HTTP GET/DELETE for tests, on Qt Network.

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QUrl>

namespace stagecast::test {

struct HttpReply {
    int status = 0;
    QByteArray body;
    QString error;
    QUrl url;         // after redirects
    QString location; // Location header of a redirect
    QString contentType;
    QByteArray header(const QByteArray& name) const; // a response header, "" when absent
    QList<QPair<QByteArray, QByteArray>> headers;
    QJsonObject json() const;
};

HttpReply httpRequest(const QString& method, const QString& url, const QString& bearer = {},
                      int timeoutMs = 10000);

/// A GET with extra request headers (e.g. Range).
HttpReply httpGetWithHeaders(const QString& url, const QString& bearer,
                             const QList<QPair<QByteArray, QByteArray>>& headers,
                             int timeoutMs = 30000);

/// A GET that does not follow redirects (the reply's `location` is filled in).
HttpReply httpGetNoRedirect(const QString& url, int timeoutMs = 10000);

/// A request with a body (POST/PATCH/PUT), e.g. JSON.
HttpReply httpSend(const QString& method, const QString& url, const QByteArray& body,
                   const QString& bearer = {}, const QString& contentType = "application/json",
                   int timeoutMs = 10000);

} // namespace stagecast::test
