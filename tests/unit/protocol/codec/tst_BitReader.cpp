// BitReader: MSB-first fields, Exp-Golomb (H.264 9.1), uvlc (AV1 4.10.3), sticky truncation
// errors naming the field, and emulation-prevention removal.

#include <QtTest>

#include <vector>

#include "TestBytes.h"
#include "protocol/codec/BitReader.h"

using stagecast::protocol::codec::BitReader;
using stagecast::protocol::codec::nalToRbsp;
using stagecast::test::view;

class tst_BitReader : public QObject {
    Q_OBJECT

private slots:
    void fields();
    void expGolomb_data();
    void expGolomb();
    void uvlc();
    void truncationIsSticky();
    void overlongCodes();
    void emulationPrevention_data();
    void emulationPrevention();
};

void tst_BitReader::fields() {
    const QByteArray data = QByteArray::fromHex("a5"
                                                "ff"
                                                "00"
                                                "12345678");
    BitReader r(view(data));
    QCOMPARE(r.bits(1, "a"), 1U);
    QCOMPARE(r.bits(3, "b"), 2U); // 010
    QCOMPARE(r.bits(4, "c"), 5U); // 0101
    QCOMPARE(r.bits(12, "d"), 0xff0U);
    r.byteAlign(); // from bit 20 to bit 24
    QCOMPARE(r.bitPosition(), std::size_t{24});
    QCOMPARE(r.bits(32, "e"), 0x12345678U);
    QCOMPARE(r.bitsLeft(), std::size_t{0});
    QVERIFY(r.ok());
}

void tst_BitReader::expGolomb_data() {
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<uint>("ue");
    QTest::addColumn<int>("se");

    QTest::newRow("1 -> 0") << QByteArray::fromHex("80") << 0U << 0;
    QTest::newRow("010 -> 1") << QByteArray::fromHex("40") << 1U << 1;
    QTest::newRow("011 -> 2") << QByteArray::fromHex("60") << 2U << -1;
    QTest::newRow("00100 -> 3") << QByteArray::fromHex("20") << 3U << 2;
    QTest::newRow("00111 -> 6") << QByteArray::fromHex("38") << 6U << -3;
    // 31 zeros, a one, then 31 ones: the largest code, 2^32 - 2 (even, so negative as se).
    QTest::newRow("largest") << QByteArray::fromHex("00000001ffffffff") << 0xfffffffeU
                             << -2147483647;
}

void tst_BitReader::expGolomb() {
    QFETCH(QByteArray, data);
    QFETCH(uint, ue);
    QFETCH(int, se);

    BitReader a(view(data));
    QCOMPARE(a.ue("x"), ue);
    QVERIFY(a.ok());
    BitReader b(view(data));
    QCOMPARE(b.se("x"), se);
    QVERIFY(b.ok());
}

void tst_BitReader::uvlc() {
    // 0001 then 3 bits 010: (1 << 3) - 1 + 2 = 9.
    const QByteArray data = QByteArray::fromHex("14");
    BitReader r(view(data));
    QCOMPARE(r.uvlc("x"), 9U);
    QVERIFY(r.ok());
}

void tst_BitReader::truncationIsSticky() {
    const QByteArray data = QByteArray::fromHex("ff");
    BitReader r(view(data));
    QCOMPARE(r.bits(6, "first"), 0x3fU);
    QCOMPARE(r.bits(3, "second"), 0U);
    QVERIFY(!r.ok());
    QCOMPARE(QString::fromStdString(r.error()), QStringLiteral("second: truncated (bit 6 of 8)"));
    QCOMPARE(r.bits(1, "third"), 0U); // the two remaining bits are not handed out any more
    QCOMPARE(r.bitsLeft(), std::size_t{0});
    QCOMPARE(QString::fromStdString(r.error()), QStringLiteral("second: truncated (bit 6 of 8)"));
}

void tst_BitReader::overlongCodes() {
    const QByteArray zeros(6, '\0');
    BitReader a(view(zeros));
    QCOMPARE(a.ue("golomb"), 0U);
    QVERIFY(QString::fromStdString(a.error()).startsWith("golomb: exp-golomb code too long"));
    BitReader b(view(zeros));
    QCOMPARE(b.uvlc("uv"), 0U);
    QVERIFY(QString::fromStdString(b.error()).startsWith("uv: uvlc code too long"));
    const QByteArray shortCode = QByteArray::fromHex("0001"); // 15 zeros, a one, no suffix
    BitReader c(view(shortCode));
    QCOMPARE(c.ue("short"), 0U);
    QVERIFY(QString::fromStdString(c.error()).startsWith("short: truncated"));
}

void tst_BitReader::emulationPrevention_data() {
    QTest::addColumn<QByteArray>("nal");
    QTest::addColumn<QByteArray>("rbsp");

    QTest::newRow("none") << QByteArray::fromHex("67640028") << QByteArray::fromHex("67640028");
    QTest::newRow("one escape") << QByteArray::fromHex("1000000300")
                                << QByteArray::fromHex("10000000");
    QTest::newRow("escaped 03") << QByteArray::fromHex("00000303") << QByteArray::fromHex("000003");
    QTest::newRow("two in a row") << QByteArray::fromHex("0000030000030001")
                                  << QByteArray::fromHex("0000000000 01");
    QTest::newRow("single zero then 03 kept")
        << QByteArray::fromHex("000300") << QByteArray::fromHex("000300");
    QTest::newRow("trailing 03 after zeros")
        << QByteArray::fromHex("000003") << QByteArray::fromHex("0000");
}

void tst_BitReader::emulationPrevention() {
    QFETCH(QByteArray, nal);
    QFETCH(QByteArray, rbsp);

    const std::vector<std::uint8_t> out = nalToRbsp(view(nal));
    QCOMPARE(stagecast::test::qb(out), rbsp);
}

QTEST_APPLESS_MAIN(tst_BitReader)
#include "tst_BitReader.moc"
