// Tests for base::parseHttpUrl: the parts of accepted URLs and the message for each refusal.

#include <QtTest>

#include "base/HttpUrl.h"

using stagecast::base::parseHttpUrl;

class tst_HttpUrl : public QObject {
    Q_OBJECT

private slots:
    void accepts_data() {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("tls");
        QTest::addColumn<QString>("host");
        QTest::addColumn<QString>("port");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("display");
        QTest::newRow("http root") << "http://cdn.example" << false << "cdn.example"
                                   << "80"
                                   << ""
                                   << "http://cdn.example";
        QTest::newRow("http port path") << "http://127.0.0.1:8081/ingest/" << false << "127.0.0.1"
                                        << "8081"
                                        << "/ingest"
                                        << "http://127.0.0.1:8081/ingest";
        QTest::newRow("https default port") << "https://o.example/a/b" << true << "o.example"
                                            << "443"
                                            << "/a/b"
                                            << "https://o.example/a/b";
        QTest::newRow("ipv6") << "http://[::1]:9000/x" << false << "::1"
                              << "9000"
                              << "/x"
                              << "http://[::1]:9000/x";
    }
    void accepts() {
        QFETCH(QString, url);
        auto parsed = parseHttpUrl(url.toStdString());
        QVERIFY2(parsed.has_value(), parsed ? "" : parsed.error().message().c_str());
        QTEST(parsed->tls, "tls");
        QTEST(QString::fromStdString(parsed->host), "host");
        QTEST(QString::fromStdString(parsed->port), "port");
        QTEST(QString::fromStdString(parsed->path), "path");
        QTEST(QString::fromStdString(parsed->display()), "display");
    }
    void refuses_data() {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << ""
                               << "must start with http:// or https://";
        QTest::newRow("ftp") << "ftp://x/"
                             << "must start with http:// or https://";
        QTest::newRow("no host") << "http:///a"
                                 << "has no host";
        QTest::newRow("port zero") << "http://h:0/"
                                   << "invalid port '0'";
        QTest::newRow("port empty") << "http://h:/"
                                    << "invalid port ''";
        QTest::newRow("port letters") << "http://h:8x/"
                                      << "invalid port '8x'";
        QTest::newRow("port too big") << "http://h:65536"
                                      << "invalid port '65536'";
        QTest::newRow("space") << "http://h /a"
                               << "spaces or control characters";
        QTest::newRow("query") << "http://h/a?x=1"
                               << "must not have a query";
        QTest::newRow("userinfo") << "http://u:p@h/a"
                                  << "user:password@";
        QTest::newRow("open bracket") << "http://[::1/a"
                                      << "unterminated [IPv6]";
    }
    void refuses() {
        QFETCH(QString, url);
        QFETCH(QString, message);
        auto parsed = parseHttpUrl(url.toStdString());
        QVERIFY(!parsed.has_value());
        const auto text = QString::fromStdString(parsed.error().message());
        QVERIFY2(text.contains(message), qPrintable(text));
        QVERIFY2(text.contains("'" + url + "'"), qPrintable(text));
    }
};

QTEST_APPLESS_MAIN(tst_HttpUrl)
#include "tst_HttpUrl.moc"
