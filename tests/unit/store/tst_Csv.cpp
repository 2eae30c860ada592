// appendCsvField: RFC 4180 quoting and the spreadsheet-formula guard.

#include <QtTest>

#include "store/Csv.h"

using namespace stagecast::store;

class tst_Csv : public QObject {
    Q_OBJECT

private slots:
    void field_data() {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<bool>("untrusted");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("plain") << QByteArray("hello") << false << QByteArray("hello");
        QTest::newRow("empty") << QByteArray("") << false << QByteArray("");
        QTest::newRow("comma") << QByteArray("a,b") << false << QByteArray("\"a,b\"");
        QTest::newRow("quotes doubled")
            << QByteArray("say \"hi\"") << false << QByteArray("\"say \"\"hi\"\"\"");
        QTest::newRow("LF") << QByteArray("line1\nline2") << false
                            << QByteArray("\"line1\nline2\"");
        QTest::newRow("CRLF") << QByteArray("a\r\nb") << false << QByteArray("\"a\r\nb\"");
        QTest::newRow("Chinese as is") << QByteArray("大家好") << false << QByteArray("大家好");
        QTest::newRow("Chinese comma is not a separator")
            << QByteArray("你好，世界") << false << QByteArray("你好，世界");
        QTest::newRow("Chinese with ASCII comma")
            << QByteArray("你好,世界") << false << QByteArray("\"你好,世界\"");
        QTest::newRow("leading space kept") << QByteArray(" x ") << false << QByteArray(" x ");
        QTest::newRow("data minus stays a number") << QByteArray("-5") << false << QByteArray("-5");
        QTest::newRow("formula in untrusted text")
            << QByteArray("=HYPERLINK(\"http://x\")") << true
            << QByteArray("\"'=HYPERLINK(\"\"http://x\"\")\"");
        QTest::newRow("plus in untrusted text")
            << QByteArray("+1 agreed") << true << QByteArray("\"'+1 agreed\"");
        QTest::newRow("at in untrusted text")
            << QByteArray("@cmd") << true << QByteArray("\"'@cmd\"");
        QTest::newRow("tab in untrusted text")
            << QByteArray("\tx") << true << QByteArray("\"'\tx\"");
        QTest::newRow("formula char later is fine")
            << QByteArray("a=b") << true << QByteArray("a=b");
    }

    void field() {
        QFETCH(QByteArray, input);
        QFETCH(bool, untrusted);
        QFETCH(QByteArray, expected);
        std::string out = "prefix|";
        appendCsvField(out, std::string_view(input.constData(), input.size()),
                       untrusted ? CsvText::Untrusted : CsvText::Data);
        QCOMPARE(QByteArray::fromStdString(out), "prefix|" + expected);
    }
};

QTEST_APPLESS_MAIN(tst_Csv)
#include "tst_Csv.moc"
