// Personal data: Chinese mobile and international phone numbers, e-mail addresses and
// Chinese ID-card numbers (ISO 7064 MOD 11-2 check), each with near misses that must not
// match. Inputs go through normalizeText first, as the rules do.

#include <QtTest>

#include "moderation/Normalize.h"
#include "moderation/PersonalData.h"

using namespace stagecast::moderation;

namespace {

QStringList found(const QString& message) {
    QStringList out;
    for (const auto& f : findPersonalData(normalizeText(message.toStdString()))) {
        out << QString("%1=%2").arg(toString(f.type), QString::fromStdString(f.text));
    }
    return out;
}

} // namespace

class tst_PersonalData : public QObject {
    Q_OBJECT

private slots:
    void detects_data() {
        QTest::addColumn<QString>("message");
        QTest::addColumn<QStringList>("expected");
        // Phones that must match
        QTest::newRow("cn mobile") << "call 13812345678 now" << QStringList{"phone=13812345678"};
        QTest::newRow("cn mobile 19x") << "19912345678" << QStringList{"phone=19912345678"};
        QTest::newRow("cn mobile full-width")
            << "电话１３８１２３４５６７８" << QStringList{"phone=13812345678"};
        QTest::newRow("cn mobile spaced") << "138 1234 5678" << QStringList{"phone=138 1234 5678"};
        QTest::newRow("cn mobile dashed") << "138-1234-5678" << QStringList{"phone=138-1234-5678"};
        QTest::newRow("cn mobile +86")
            << "+86 138 1234 5678" << QStringList{"phone=+86 138 1234 5678"};
        QTest::newRow("cn mobile 86 prefix")
            << "8613812345678" << QStringList{"phone=8613812345678"};
        QTest::newRow("cn mobile 0086")
            << "0086 13812345678" << QStringList{"phone=0086 13812345678"};
        QTest::newRow("international us")
            << "ring +1 (555) 123-4567" << QStringList{"phone=+1 (555) 123-4567"};
        QTest::newRow("international uk")
            << "+44 20 7946 0958" << QStringList{"phone=+44 20 7946 0958"};
        QTest::newRow("international compact")
            << "+4915112345678" << QStringList{"phone=+4915112345678"};
        QTest::newRow("after a number word")
            << "room 2 13812345678" << QStringList{"phone=13812345678"};
        // Phones that must not match
        QTest::newRow("second digit 2") << "12812345678" << QStringList{};
        QTest::newRow("second digit 0") << "10012345678" << QStringList{};
        QTest::newRow("ten digits") << "1381234567" << QStringList{};
        QTest::newRow("twelve digits") << "138123456789" << QStringList{};
        QTest::newRow("fourteen digit order number") << "order 13812345678901" << QStringList{};
        QTest::newRow("plus too short") << "+12 345" << QStringList{};
        QTest::newRow("plus too long") << "+1234567890123456" << QStringList{};
        QTest::newRow("decimal") << "1.3812345678" << QStringList{};
        QTest::newRow("price with comma") << "138,1234,5678" << QStringList{};
        QTest::newRow("date") << "2024-01-15" << QStringList{};
        QTest::newRow("year and count") << "in 2024 we had 500 viewers" << QStringList{};
        QTest::newRow("plain 8 digits") << "12345678" << QStringList{};
        // E-mail
        QTest::newRow("email") << "write to alice@example.com please"
                               << QStringList{"email=alice@example.com"};
        QTest::newRow("email upper and full-width at")
            << "ALICE＠EXAMPLE.COM" << QStringList{"email=alice@example.com"};
        QTest::newRow("email subdomain plus")
            << "bob.smith+tag@mail.example.co.uk."
            << QStringList{"email=bob.smith+tag@mail.example.co.uk"};
        QTest::newRow("email in chinese")
            << "邮箱是zhang.wei@qq.com谢谢" << QStringList{"email=zhang.wei@qq.com"};
        QTest::newRow("mention") << "@alice hello" << QStringList{};
        QTest::newRow("no dot") << "me@home" << QStringList{};
        QTest::newRow("one letter tld") << "a@b.c" << QStringList{};
        QTest::newRow("numeric tld") << "x@10.0.0.1" << QStringList{};
        QTest::newRow("empty domain label") << "user@.com" << QStringList{};
        QTest::newRow("double dot") << "user@example..com" << QStringList{};
        QTest::newRow("spelled out") << "alice at example dot com" << QStringList{};
        // ID cards (check characters computed with ISO 7064 MOD 11-2)
        QTest::newRow("id card X")
            << "身份证11010519491231002X" << QStringList{"id-card=11010519491231002x"};
        QTest::newRow("id card lower x")
            << "11010519491231002x" << QStringList{"id-card=11010519491231002x"};
        QTest::newRow("id card digit")
            << "id 440304199003071248." << QStringList{"id-card=440304199003071248"};
        QTest::newRow("id card full-width")
            << "３２０５８３１９９５０２０３４４５９" << QStringList{"id-card=320583199502034459"};
        QTest::newRow("id card wrong check") << "440304199003071249" << QStringList{};
        QTest::newRow("id card X where digit belongs") << "44030419900307124X" << QStringList{};
        QTest::newRow("id card bad date") << "110105194913310013" << QStringList{};
        QTest::newRow("id card 17 digits") << "44030419900307124" << QStringList{};
        QTest::newRow("id card 19 digits") << "4403041990030712481" << QStringList{};
        QTest::newRow("id card followed by letters") << "11010519491231002xyz" << QStringList{};
        QTest::newRow("clean") << "hello 你好" << QStringList{};
    }

    void detects() {
        QFETCH(QString, message);
        QFETCH(QStringList, expected);
        QCOMPARE(found(message), expected);
    }

    void checkCharacter() {
        QCOMPARE(chineseIdCheckCharacter("11010519491231002"), 'X');
        QCOMPARE(chineseIdCheckCharacter("44030419900307124"), '8');
        QCOMPARE(chineseIdCheckCharacter("51010719780912331"), '5');
        QCOMPARE(chineseIdCheckCharacter("1101051949123100"), '\0');  // 16 digits
        QCOMPARE(chineseIdCheckCharacter("1101051949123100a"), '\0'); // not digits
        QVERIFY(isValidChineseIdNumber("510107197809123315"));
        QVERIFY(isValidChineseIdNumber("11010519491231002X"));
        QVERIFY(!isValidChineseIdNumber("510107197809123316"));
        QVERIFY(!isValidChineseIdNumber("010107197809123315")); // no region starts with 0
        QVERIFY(!isValidChineseIdNumber("51010719780912331"));
    }

    void masking() {
        QCOMPARE(maskMiddle("13812345678"), std::string("138****5678"));
        QCOMPARE(maskMiddle("short"), std::string("short"));
        // A long address (the fuzzer found a 300-byte one) keeps a short excerpt.
        const std::string longAddress = std::string(300, 'a') + "@example.com";
        QCOMPARE(maskMiddle(longAddress), std::string("aaa") + std::string(16, '*') + ".com");
        // Multi-byte characters are never cut in half at either end: "a张三@mail.北xy" keeps
        // "a" (not "a" and two bytes of 张) and "xy" (not the last bytes of 北).
        const std::string wide = "a\xE5\xBC\xA0\xE4\xB8\x89@mail.\xE5\x8C\x97xy";
        QCOMPARE(maskMiddle(wide), std::string("a") + std::string(15, '*') + "xy");
    }
};

QTEST_APPLESS_MAIN(tst_PersonalData)
#include "tst_PersonalData.moc"
