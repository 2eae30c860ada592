#pragma once
/// The studio's control API (/api/v1) as seen from the GUI thread: authenticated JSON
/// requests with a completion callback that gets the answer or an error naming the problem
/// (the API's own "error" text, else the HTTP status or the network error). Works against
/// the studio in this process or another one (a remote control).

#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QObject>
#include <QString>
#include <functional>

namespace stagecast::services {

class StudioClient : public QObject {
    Q_OBJECT

public:
    /// `apiBase` is "http://127.0.0.1:PORT/api/v1"; `token` the bearer token.
    StudioClient(QString apiBase, QString token, QObject* parent = nullptr);

    using Done = std::function<void(const QJsonObject& answer, const QString& error)>;
    void get(const QString& path, Done done);
    void post(const QString& path, const QJsonObject& body, Done done);
    void put(const QString& path, const QJsonObject& body, Done done);
    void del(const QString& path, Done done);
    /// A GET whose answer is not JSON (a JPEG): the body, or the error as for JSON requests.
    using BytesDone = std::function<void(const QByteArray& body, const QString& error)>;
    void getBytes(const QString& path, BytesDone done);

private:
    void send(const QString& method, const QString& path, const QByteArray& body, Done done);

    QNetworkAccessManager network_;
    const QString apiBase_;
    const QByteArray bearer_;
};

} // namespace stagecast::services
