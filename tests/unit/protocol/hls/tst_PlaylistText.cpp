// The value syntax of RFC 8216 4.2 (attribute lists, decimal-floating-point, decimal-integer,
// hexadecimal-sequence), byte ranges and the ISO 8601 date-time of EXT-X-PROGRAM-DATE-TIME.

#include <QtTest>

#include "protocol/hls/PlaylistText.h"

using namespace stagecast::protocol::hls;

class tst_PlaylistText : public QObject {
    Q_OBJECT

private slots:
    void formatDecimal_data();
    void formatDecimal();
    void parseDecimal_data();
    void parseDecimal();
    void parseInteger_data();
    void parseInteger();
    void byteRange_data();
    void byteRange();
    void iv_data();
    void iv();
    void dateTime_data();
    void dateTime();
    void formatDateTime();
    void attributes();
    void attributeErrors_data();
    void attributeErrors();
};

void tst_PlaylistText::formatDecimal_data() {
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("expected");
    QTest::newRow("whole") << 4.0 << "4.000";
    QTest::newRow("milliseconds") << 2.002 << "2.002";
    QTest::newRow("tenth") << 0.1 << "0.100";
    QTest::newRow("more digits kept") << 0.33334 << "0.33334";
    QTest::newRow("noise kept exactly") << 0.1 + 0.2 << "0.30000000000000004";
    QTest::newRow("zero") << 0.0 << "0.000";
    QTest::newRow("large") << 86400.5 << "86400.500";
}

void tst_PlaylistText::formatDecimal() {
    QFETCH(double, value);
    QFETCH(QString, expected);
    const std::string s = text::formatDecimal(value);
    QCOMPARE(QString::fromStdString(s), expected);
    QCOMPARE(text::parseDecimal(s), std::optional<double>(value)); // exact round trip
}

void tst_PlaylistText::parseDecimal_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<double>("value");
    QTest::newRow("integer") << "10" << true << 10.0;
    QTest::newRow("fraction") << "9.009" << true << 9.009;
    QTest::newRow("trailing dot") << "4." << true << 4.0;
    QTest::newRow("leading dot") << ".5" << true << 0.5;
    QTest::newRow("limit") << "1000000000" << true << 1e9;
    QTest::newRow("above limit") << "1000000000.1" << false << 0.0;
    QTest::newRow("negative") << "-1" << false << 0.0;
    QTest::newRow("plus") << "+1" << false << 0.0;
    QTest::newRow("exponent") << "1e2" << false << 0.0;
    QTest::newRow("two dots") << "1.2.3" << false << 0.0;
    QTest::newRow("dot only") << "." << false << 0.0;
    QTest::newRow("empty") << "" << false << 0.0;
    QTest::newRow("inf") << "inf" << false << 0.0;
    QTest::newRow("space") << " 1" << false << 0.0;
}

void tst_PlaylistText::parseDecimal() {
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(double, value);
    const auto v = text::parseDecimal(text.toStdString());
    QCOMPARE(v.has_value(), valid);
    if (valid) {
        QCOMPARE(*v, value);
    }
}

void tst_PlaylistText::parseInteger_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<qulonglong>("value");
    QTest::newRow("zero") << "0" << true << 0ULL;
    QTest::newRow("max") << "18446744073709551615" << true << 18446744073709551615ULL;
    QTest::newRow("overflow") << "18446744073709551616" << false << 0ULL;
    QTest::newRow("21 digits") << "000000000000000000001" << false << 0ULL;
    QTest::newRow("sign") << "-1" << false << 0ULL;
    QTest::newRow("decimal") << "1.0" << false << 0ULL;
    QTest::newRow("empty") << "" << false << 0ULL;
}

void tst_PlaylistText::parseInteger() {
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(qulonglong, value);
    const auto v = text::parseInteger(text.toStdString());
    QCOMPARE(v.has_value(), valid);
    if (valid) {
        QCOMPARE(qulonglong{*v}, value);
    }
}

void tst_PlaylistText::byteRange_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<qulonglong>("length");
    QTest::addColumn<qlonglong>("offset"); // -1: none
    QTest::newRow("length only") << "1200" << true << 1200ULL << -1LL;
    QTest::newRow("with offset") << "1000@0" << true << 1000ULL << 0LL;
    QTest::newRow("empty offset") << "10@" << false << 0ULL << -1LL;
    QTest::newRow("empty length") << "@10" << false << 0ULL << -1LL;
    QTest::newRow("two at signs") << "1@2@3" << false << 0ULL << -1LL;
}

void tst_PlaylistText::byteRange() {
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(qulonglong, length);
    QFETCH(qlonglong, offset);
    const auto r = text::parseByteRange(text.toStdString());
    QCOMPARE(r.has_value(), valid);
    if (valid) {
        QCOMPARE(qulonglong{r->length}, length);
        QCOMPARE(r->offset.has_value(), offset >= 0);
        QCOMPARE(QString::fromStdString(text::formatByteRange(*r)), text);
    }
}

void tst_PlaylistText::iv_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("canonical"); // empty: invalid
    QTest::newRow("full") << "0x000102030405060708090A0B0C0D0E0F"
                          << "0x000102030405060708090a0b0c0d0e0f";
    QTest::newRow("short right-aligned") << "0X1"
                                         << "0x00000000000000000000000000000001";
    QTest::newRow("odd digits") << "0xabc"
                                << "0x00000000000000000000000000000abc";
    QTest::newRow("33 digits") << "0x100000000000000000000000000000000"
                               << "";
    QTest::newRow("no prefix") << "0102"
                               << "";
    QTest::newRow("prefix only") << "0x"
                                 << "";
    QTest::newRow("not hex") << "0x0g"
                             << "";
}

void tst_PlaylistText::iv() {
    QFETCH(QString, text);
    QFETCH(QString, canonical);
    const auto iv = text::parseIv(text.toStdString());
    QCOMPARE(iv.has_value(), !canonical.isEmpty());
    if (iv) {
        QCOMPARE(QString::fromStdString(text::formatIv(*iv)), canonical);
    }
}

void tst_PlaylistText::dateTime_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<qlonglong>("ms"); // -1: invalid
    QTest::newRow("epoch") << "1970-01-01T00:00:00Z" << 0LL;
    QTest::newRow("millis") << "2026-11-24T03:15:46.123Z" << 1795490146123LL;
    QTest::newRow("micro truncated") << "2026-11-24T03:15:46.123999Z" << 1795490146123LL;
    QTest::newRow("one decimal") << "2026-11-24T03:15:46.5Z" << 1795490146500LL;
    QTest::newRow("plus colon offset") << "2026-11-24T04:15:46+01:00" << 1795490146000LL;
    QTest::newRow("minus offset no colon") << "2026-11-23T22:45:46-0430" << 1795490146000LL;
    QTest::newRow("hour offset") << "2026-11-24T05:15:46+02" << 1795490146000LL;
    QTest::newRow("lower case") << "2026-11-24t03:15:46z" << 1795490146000LL;
    QTest::newRow("leap day") << "2024-02-29T00:00:00Z" << 1709164800000LL;
    QTest::newRow("not a leap day") << "2023-02-29T00:00:00Z" << -1LL;
    QTest::newRow("no zone") << "2026-11-24T03:15:46" << -1LL;
    QTest::newRow("hour 24") << "2026-11-24T24:00:00Z" << -1LL;
    QTest::newRow("second 60") << "2026-11-24T03:15:60Z" << -1LL;
    QTest::newRow("space separator") << "2026-11-24 03:15:46Z" << -1LL;
    QTest::newRow("empty fraction") << "2026-11-24T03:15:46.Z" << -1LL;
    QTest::newRow("junk after") << "2026-11-24T03:15:46Zx" << -1LL;
    QTest::newRow("offset minutes 60") << "2026-11-24T03:15:46+01:60" << -1LL;
    QTest::newRow("before year 0 after offset") << "0000-01-01T00:00:00+01:00" << -1LL;
    QTest::newRow("after 9999 after offset") << "9999-12-31T23:59:59-01:00" << -1LL;
    QTest::newRow("year 0 start") << "0000-01-01T00:00:00Z" << -62167219200000LL;
}

void tst_PlaylistText::dateTime() {
    QFETCH(QString, text);
    QFETCH(qlonglong, ms);
    const auto t = text::parseDateTime(text.toStdString());
    QCOMPARE(t.has_value(), ms != -1);
    if (t) {
        QCOMPARE(qlonglong{*t}, ms);
    }
}

void tst_PlaylistText::formatDateTime() {
    QCOMPARE(QString::fromStdString(text::formatDateTime(1795490146123)),
             QString("2026-11-24T03:15:46.123Z"));
    QCOMPARE(QString::fromStdString(text::formatDateTime(0)), QString("1970-01-01T00:00:00.000Z"));
    // Before 1970: floor, not truncation, of the day.
    QCOMPARE(QString::fromStdString(text::formatDateTime(-1)), QString("1969-12-31T23:59:59.999Z"));
    QCOMPARE(QString::fromStdString(text::formatDateTime(-62167219200000)),
             QString("0000-01-01T00:00:00.000Z"));
}

void tst_PlaylistText::attributes() {
    const auto attrs = text::parseAttributes(
        "DURATION=0.33334,URI=\"part,1.mp4\",INDEPENDENT=YES,RESOLUTION=1280x720,EMPTY=\"\"");
    QVERIFY2(attrs.has_value(), attrs ? "" : attrs.error().message().c_str());
    QCOMPARE(attrs->size(), std::size_t{5});
    QCOMPARE((*attrs)[0].name, std::string_view("DURATION"));
    QCOMPARE((*attrs)[0].value, std::string_view("0.33334"));
    QVERIFY(!(*attrs)[0].quoted);
    QCOMPARE((*attrs)[1].value, std::string_view("part,1.mp4")); // comma inside quotes
    QVERIFY((*attrs)[1].quoted);
    QCOMPARE((*attrs)[3].value, std::string_view("1280x720"));
    QCOMPARE((*attrs)[4].value, std::string_view(""));
    QVERIFY((*attrs)[4].quoted);
    QVERIFY(text::parseAttributes("").has_value());
    QVERIFY(text::parseAttributes("").value().empty());
}

void tst_PlaylistText::attributeErrors_data() {
    QTest::addColumn<QString>("list");
    QTest::addColumn<QString>("error");
    QTest::newRow("no equals") << "A=1,B"
                               << "attribute \"B\" has no '=' and value";
    QTest::newRow("empty name") << "=1"
                                << "attribute name empty at column 1";
    QTest::newRow("lower case name") << "uri=1"
                                     << "attribute name \"uri\" invalid, allowed A-Z, 0-9 and '-'";
    QTest::newRow("unclosed") << "URI=\"abc"
                              << "quoted value of URI not closed";
    QTest::newRow("junk after quote") << "URI=\"a\"b,X=1"
                                      << "expected ',' after the quoted value of URI";
    QTest::newRow("repeated") << "A=1,A=2"
                              << "attribute A repeated";
    QTest::newRow("trailing comma") << "A=1,"
                                    << "attribute list ends with ','";
    QString many;
    for (int i = 0; i < 65; ++i) {
        many += QString("A%1=1,").arg(i);
    }
    many.chop(1);
    QTest::newRow("65 attributes") << many << "more than 64 attributes";
}

void tst_PlaylistText::attributeErrors() {
    QFETCH(QString, list);
    QFETCH(QString, error);
    const auto attrs = text::parseAttributes(list.toStdString());
    QVERIFY(!attrs.has_value());
    QCOMPARE(QString::fromStdString(attrs.error().message()), error);
}

QTEST_APPLESS_MAIN(tst_PlaylistText)
#include "tst_PlaylistText.moc"
