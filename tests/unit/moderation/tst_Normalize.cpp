// Normalisation: full-width forms, case, Chinese, ignorable characters, white space, and
// arbitrary bytes (invalid UTF-8 never survives into the output).

#include <QtTest>

#include "moderation/Normalize.h"

using namespace stagecast::moderation;

class tst_Normalize : public QObject {
    Q_OBJECT

private slots:
    void normalizes_data() {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("ascii lower") << QByteArray("bad") << QByteArray("bad");
        QTest::newRow("mixed case") << QByteArray("BaD") << QByteArray("bad");
        QTest::newRow("full-width upper") << QByteArray("ＢＡＤ") << QByteArray("bad");
        QTest::newRow("full-width mixed") << QByteArray("Ｂａｄ") << QByteArray("bad");
        QTest::newRow("full-width digits") << QByteArray("１３８") << QByteArray("138");
        QTest::newRow("full-width at sign") << QByteArray("a＠b.com") << QByteArray("a@b.com");
        QTest::newRow("chinese unchanged") << QByteArray("坏话") << QByteArray("坏话");
        QTest::newRow("chinese with full-width comma")
            << QByteArray("你好，世界") << QByteArray("你好,世界");
        QTest::newRow("ideographic space") << QByteArray("坏\u3000话") << QByteArray("坏 话");
        QTest::newRow("zero-width space dropped") << QByteArray("b\xE2\x80\x8B"
                                                                "ad")
                                                  << QByteArray("bad");
        QTest::newRow("soft hyphen dropped") << QByteArray("b\xC2\xAD"
                                                           "ad")
                                             << QByteArray("bad");
        QTest::newRow("ligature") << QByteArray("\xEF\xAC\x81ne") << QByteArray("fine");
        QTest::newRow("circled letters") << QByteArray("ⓑⓐⓓ") << QByteArray("bad");
        QTest::newRow("german sharp s folds")
            << QByteArray("STRASSE straße") << QByteArray("strasse strasse");
        QTest::newRow("white space collapsed")
            << QByteArray("  buy \t\n  followers  ") << QByteArray("buy followers");
        QTest::newRow("accents kept") << QByteArray("BÄD") << QByteArray("bäd");
        QTest::newRow("empty") << QByteArray("") << QByteArray("");
        QTest::newRow("only spaces") << QByteArray(" \t ") << QByteArray("");
    }

    void normalizes() {
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, expected);
        auto out = normalizeText(std::string_view(input.constData(), std::size_t(input.size())));
        QCOMPARE(QByteArray::fromStdString(out), expected);
    }

    void invalidUtf8BecomesReplacement_data() {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("expected");
        const QByteArray fffd("\xEF\xBF\xBD");
        QTest::newRow("lone continuation") << QByteArray("a\x80"
                                                         "b")
                                           << "a" + fffd + "b";
        QTest::newRow("truncated sequence") << QByteArray("a\xE4\xBD") << "a" + fffd + fffd;
        QTest::newRow("overlong slash") << QByteArray("\xC0\xAF") << fffd + fffd;
        QTest::newRow("surrogate") << QByteArray("\xED\xA0\x80") << fffd + fffd + fffd;
        QTest::newRow("nul is a space") << QByteArray("a\0b", 3) << QByteArray("a b");
    }

    void invalidUtf8BecomesReplacement() {
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, expected);
        auto out = normalizeText(std::string_view(input.constData(), std::size_t(input.size())));
        QCOMPARE(QByteArray::fromStdString(out), expected);
    }

    void everyByteValueGivesValidUtf8() {
        // Each single byte and each pair: the output is valid UTF-8 (sanitize is idempotent).
        for (int a = 0; a < 256; ++a) {
            for (int b = 0; b < 256; b += 7) {
                const char bytes[2] = {static_cast<char>(a), static_cast<char>(b)};
                auto out = normalizeText(std::string_view(bytes, 2));
                QCOMPARE(sanitizeUtf8(out), out);
            }
        }
    }

    void codePoints() {
        QCOMPARE(codePointCount("abc"), std::size_t(3));
        QCOMPARE(codePointCount("坏话"), std::size_t(2));
        QCOMPARE(codePointCount(""), std::size_t(0));
    }

    void scripts() {
        QVERIFY(isCjk(U'坏'));
        QVERIFY(isCjk(U'あ'));
        QVERIFY(isCjk(U'한'));
        QVERIFY(!isCjk(U'a'));
        QVERIFY(isWordChar(U'a'));
        QVERIFY(isWordChar(U'7'));
        QVERIFY(isWordChar(U'ä'));
        QVERIFY(!isWordChar(U'坏')); // CJK never forms an English word boundary
        QVERIFY(!isWordChar(U' '));
        QVERIFY(!isWordChar(U'!'));
        QVERIFY(containsCjk("vip群"));
        QVERIFY(!containsCjk("vip group"));
    }
};

QTEST_APPLESS_MAIN(tst_Normalize)
#include "tst_Normalize.moc"
