// Links: schemes, www., bare domains with common TLDs; near misses (abbreviations,
// decimals, file names, sentences without a space, e-mail domains) must not match.

#include <QtTest>

#include "moderation/Links.h"
#include "moderation/Normalize.h"

using namespace stagecast::moderation;

class tst_Links : public QObject {
    Q_OBJECT

private slots:
    void finds_data() {
        QTest::addColumn<QString>("message");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("https") << "see https://example.org/a?b=1 now"
                               << QStringList{"https://example.org/a?b=1"};
        QTest::newRow("http any host")
            << "http://10.0.0.1:8080/x" << QStringList{"http://10.0.0.1:8080/x"};
        QTest::newRow("upper scheme")
            << "HTTPS://EXAMPLE.COM" << QStringList{"https://example.com"};
        QTest::newRow("full-width")
            << "ｗｗｗ．ｅｘａｍｐｌｅ．ｃｏｍ" << QStringList{"www.example.com"};
        QTest::newRow("www") << "visit www.shop-now.biz today" << QStringList{"www.shop-now.biz"};
        QTest::newRow("bare com") << "go to example.com." << QStringList{"example.com"};
        QTest::newRow("bare with path") << "example.com/deal" << QStringList{"example.com/deal"};
        QTest::newRow("short link cn") << "点这里t.cn/abc看" << QStringList{"t.cn/abc"};
        QTest::newRow("second level") << "sina.com.cn" << QStringList{"sina.com.cn"};
        QTest::newRow("two links") << "a.io and b.xyz" << QStringList{"a.io", "b.xyz"};
        QTest::newRow("abbreviation eg") << "e.g. this" << QStringList{};
        QTest::newRow("abbreviation ie") << "i.e. that" << QStringList{};
        QTest::newRow("decimal") << "pi is 3.14" << QStringList{};
        QTest::newRow("version") << "v1.2.3 released" << QStringList{};
        QTest::newRow("file name") << "open report.pdf" << QStringList{};
        QTest::newRow("js library") << "node.js rocks" << QStringList{};
        QTest::newRow("sentence no space it") << "great talk.it was fun" << QStringList{};
        QTest::newRow("sentence no space me") << "thanks.me too" << QStringList{};
        QTest::newRow("ellipsis") << "wait...com on" << QStringList{};
        QTest::newRow("email domain") << "mail alice@example.com" << QStringList{};
        QTest::newRow("scheme alone") << "http:// nothing" << QStringList{};
        QTest::newRow("hyphen label") << "-bad-.com" << QStringList{};
        QTest::newRow("clean chinese") << "大家好。欢迎" << QStringList{};
    }

    void finds() {
        QFETCH(QString, message);
        QFETCH(QStringList, expected);
        QStringList got;
        for (const auto& link : findLinks(normalizeText(message.toStdString()))) {
            got << QString::fromStdString(link);
        }
        QCOMPARE(got, expected);
    }
};

QTEST_APPLESS_MAIN(tst_Links)
#include "tst_Links.moc"
