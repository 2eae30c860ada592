// Tests for receiver URLs: host, port, target and Host header; https accepted (port 443)
// that says so; malformed URLs named without their query.

#include <QtTest>

#include "server/webhook/WebhookUrl.h"

using namespace stagecast::server::webhook;

class tst_WebhookUrl : public QObject {
    Q_OBJECT

private slots:
    void valid_data() {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("host");
        QTest::addColumn<QString>("port");
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("hostHeader");
        QTest::addColumn<QString>("display");
        QTest::newRow("bare host") << "http://hooks.example"
                                   << "hooks.example"
                                   << "80"
                                   << "/"
                                   << "hooks.example"
                                   << "http://hooks.example/";
        QTest::newRow("port and path") << "http://127.0.0.1:8085/hooks/srs"
                                       << "127.0.0.1"
                                       << "8085"
                                       << "/hooks/srs"
                                       << "127.0.0.1:8085"
                                       << "http://127.0.0.1:8085/hooks/srs";
        QTest::newRow("query kept out of display") << "http://h:81/p?token=secret"
                                                   << "h"
                                                   << "81"
                                                   << "/p?token=secret"
                                                   << "h:81"
                                                   << "http://h:81/p";
        QTest::newRow("query without path") << "http://h?x=1"
                                            << "h"
                                            << "80"
                                            << "/?x=1"
                                            << "h"
                                            << "http://h/";
        QTest::newRow("https default port") << "https://hooks.example/x?token=1"
                                            << "hooks.example"
                                            << "443"
                                            << "/x?token=1"
                                            << "hooks.example"
                                            << "https://hooks.example/x";
        QTest::newRow("ipv6") << "http://[::1]:9000/x"
                              << "::1"
                              << "9000"
                              << "/x"
                              << "[::1]:9000"
                              << "http://[::1]:9000/x";
    }

    void valid() {
        QFETCH(QString, url);
        auto parsed = parseWebhookUrl(url.toStdString());
        QVERIFY2(parsed.has_value(), parsed ? "" : parsed.error().message().c_str());
        QFETCH(QString, host);
        QFETCH(QString, port);
        QFETCH(QString, target);
        QFETCH(QString, hostHeader);
        QFETCH(QString, display);
        QCOMPARE(QString::fromStdString(parsed->host), host);
        QCOMPARE(QString::fromStdString(parsed->port), port);
        QCOMPARE(QString::fromStdString(parsed->target), target);
        QCOMPARE(QString::fromStdString(parsed->hostHeader), hostHeader);
        QCOMPARE(QString::fromStdString(parsed->display), display);
    }

    void invalid_data() {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("error");
        QTest::newRow("no scheme") << "h/x"
                                   << "webhook URL 'h/x' must start with http:// or https://";
        QTest::newRow("ftp") << "ftp://h/x"
                             << "webhook URL 'ftp://h/x' must start with http:// or https://";
        QTest::newRow("no host") << "http:///x"
                                 << "webhook URL 'http:///x' has no host";
        QTest::newRow("port zero") << "http://h:0/x"
                                   << "webhook URL 'http://h:0/x' has an invalid port '0' "
                                      "(allowed 1..65535)";
        QTest::newRow("port too big") << "http://h:65536"
                                      << "webhook URL 'http://h:65536' has an invalid port "
                                         "'65536' (allowed 1..65535)";
        QTest::newRow("port text") << "http://h:ab/"
                                   << "webhook URL 'http://h:ab/' has an "
                                      "invalid port 'ab' (allowed 1..65535)";
        QTest::newRow("credentials")
            << "http://u:p@h/x"
            << "webhook URL 'http://u:p@h/x' must not carry user:password@ (use the signature "
               "to authenticate)";
        QTest::newRow("space") << "http://h/a b"
                               << "webhook URL 'http://h/a b' contains spaces or control "
                                  "characters";
        QTest::newRow("open bracket") << "http://[::1/x"
                                      << "webhook URL 'http://[::1/x' has an unterminated [IPv6] "
                                         "address";
    }

    void invalid() {
        QFETCH(QString, url);
        QFETCH(QString, error);
        auto parsed = parseWebhookUrl(url.toStdString());
        QVERIFY(!parsed);
        QCOMPARE(QString::fromStdString(parsed.error().message()), error);
    }
};

QTEST_APPLESS_MAIN(tst_WebhookUrl)
#include "tst_WebhookUrl.moc"
