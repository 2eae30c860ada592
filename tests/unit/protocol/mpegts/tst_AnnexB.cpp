// Parameter sets from AVC/HEVC decoder configuration records (ISO/IEC 14496-15 5.3.3.1,
// 8.3.3.1) and length-prefixed NAL units to annex B. The records are real encoder output
// (tests/unit/protocol/codec/RealConfigs.h, annotated there).

#include <QtTest>

#include <span>
#include <vector>

#include "../codec/RealConfigs.h"
#include "protocol/mpegts/AnnexB.h"

using namespace stagecast::protocol::mpegts;

namespace {

std::span<const std::uint8_t> view(const QByteArray& b) {
    return {reinterpret_cast<const std::uint8_t*>(b.constData()),
            static_cast<std::size_t>(b.size())};
}

template <std::size_t N>
QByteArray qb(const std::uint8_t (&bytes)[N]) {
    return QByteArray(reinterpret_cast<const char*>(bytes), static_cast<qsizetype>(N));
}

QByteArray qb(std::span<const std::uint8_t> v) {
    return QByteArray(reinterpret_cast<const char*>(v.data()), static_cast<qsizetype>(v.size()));
}

// A minimal hvcC: 22 bytes of general fields (only lengthSizeMinusOne matters to the muxer)
// and the given arrays.
QByteArray hvcc(std::uint8_t lengthSizeMinusOne, std::uint8_t arrays, const QByteArray& body) {
    QByteArray r = QByteArray::fromHex("01"           // configurationVersion
                                       "01"           // profile space/tier/idc
                                       "60000000"     // compatibility flags
                                       "900000000000" // constraint flags
                                       "5a"           // level 90
                                       "f000fcfdf8f80000");
    r.append(static_cast<char>(0x0C | lengthSizeMinusOne));
    r.append(static_cast<char>(arrays));
    return r + body;
}

} // namespace

class tst_AnnexB : public QObject {
    Q_OBJECT

private slots:
    void avcRecord();
    void avcRecordTruncatedAtEveryByte();
    void hevcRecord();
    void hevcRecordTruncatedAtEveryByte();
    void hevcArraysReordered();
    void recordErrors_data();
    void recordErrors();
    void split_data();
    void split();
    void splitErrors_data();
    void splitErrors();
    void nalTypesAndStartCode();
};

void tst_AnnexB::avcRecord() {
    const auto sets = parseAvcDecoderConfig(stagecast::test::kAvcHigh720p30);
    QVERIFY2(sets.has_value(), sets ? "" : sets.error().message().c_str());
    QCOMPARE(sets->codec, NalCodec::H264);
    QCOMPARE(int{sets->nalLengthSize}, 4);
    QCOMPARE(sets->nalUnits.size(), std::size_t{2});
    const QByteArray record = qb(stagecast::test::kAvcHigh720p30);
    QCOMPARE(qb(sets->nalUnits[0]), record.mid(8, 26));         // the SPS
    QCOMPARE(qb(sets->nalUnits[1]), record.mid(8 + 26 + 3, 6)); // the PPS
}

void tst_AnnexB::avcRecordTruncatedAtEveryByte() {
    const QByteArray record = qb(stagecast::test::kAvcHigh720p30);
    const auto full = parseAvcDecoderConfig(view(record));
    QVERIFY(full.has_value());
    // The 4-byte High-profile trailer is not needed; any cut before it is an error.
    const qsizetype needed = record.size() - 4;
    for (qsizetype n = 0; n <= record.size(); ++n) {
        const auto sets = parseAvcDecoderConfig(view(record.left(n)));
        QCOMPARE(sets.has_value(), n >= needed);
        if (sets) {
            QCOMPARE(sets->nalUnits, full->nalUnits);
        } else {
            QVERIFY(QString::fromStdString(sets.error().message()).startsWith("ts: AVC"));
        }
    }
}

void tst_AnnexB::hevcRecord() {
    const auto sets = parseHevcDecoderConfig(stagecast::test::kHevcMain854x480);
    QVERIFY2(sets.has_value(), sets ? "" : sets.error().message().c_str());
    QCOMPARE(sets->codec, NalCodec::Hevc);
    QCOMPARE(int{sets->nalLengthSize}, 4);
    QCOMPARE(sets->nalUnits.size(), std::size_t{3});
    QCOMPARE(sets->nalUnits[0].size(), std::size_t{24}); // VPS
    QCOMPARE(sets->nalUnits[1].size(), std::size_t{42}); // SPS
    QCOMPARE(sets->nalUnits[2].size(), std::size_t{7});  // PPS
    QCOMPARE(int{nalUnitType(NalCodec::Hevc, sets->nalUnits[0])}, 32);
    QCOMPARE(int{nalUnitType(NalCodec::Hevc, sets->nalUnits[1])}, 33);
    QCOMPARE(int{nalUnitType(NalCodec::Hevc, sets->nalUnits[2])}, 34);
}

void tst_AnnexB::hevcRecordTruncatedAtEveryByte() {
    const QByteArray record = qb(stagecast::test::kHevcMain854x480);
    for (qsizetype n = 0; n < record.size(); ++n) {
        const auto sets = parseHevcDecoderConfig(view(record.left(n)));
        QVERIFY2(!sets.has_value(), qPrintable(QString("cut at %1").arg(n)));
        QVERIFY(QString::fromStdString(sets.error().message()).startsWith("ts: HEVC"));
    }
    QVERIFY(parseHevcDecoderConfig(view(record)).has_value());
}

void tst_AnnexB::hevcArraysReordered() {
    const QByteArray body = QByteArray::fromHex("a7 0001 0003 4e0105" // prefix SEI array (39)
                                                "22 0001 0003 440101" // PPS
                                                "21 0002 0003 420102" // two SPS
                                                "        0003 420103"
                                                "20 0001 0003 400104"); // VPS
    const auto sets = parseHevcDecoderConfig(view(hvcc(1, 4, body)));
    QVERIFY2(sets.has_value(), sets ? "" : sets.error().message().c_str());
    QCOMPARE(int{sets->nalLengthSize}, 2);
    QCOMPARE(sets->nalUnits.size(), std::size_t{4}); // SEI dropped
    QCOMPARE(qb(sets->nalUnits[0]).toHex(), QByteArray("400104"));
    QCOMPARE(qb(sets->nalUnits[1]).toHex(), QByteArray("420102"));
    QCOMPARE(qb(sets->nalUnits[2]).toHex(), QByteArray("420103"));
    QCOMPARE(qb(sets->nalUnits[3]).toHex(), QByteArray("440101"));
}

void tst_AnnexB::recordErrors_data() {
    QTest::addColumn<bool>("hevc");
    QTest::addColumn<QByteArray>("record");
    QTest::addColumn<QString>("error");
    QTest::newRow("avc version 0") << false << QByteArray::fromHex("00640028ffe1")
                                   << "ts: AVC configurationVersion 0 unsupported, allowed 1";
    QTest::newRow("avc no pps")
        << false
        << QByteArray::fromHex("01640028ff"
                               "e1 0002 6764" // one SPS
                               "00")          // no PPS
        << "ts: AVC decoder configuration record has 1 SPS and 0 PPS, need at least one of each";
    QTest::newRow("avc pps in sps list")
        << false << QByteArray::fromHex("01640028ff e1 0002 68ee 01 0002 68ee")
        << "ts: AVC decoder configuration record has NAL type 8 in its SPS list, expected 7";
    QTest::newRow("avc empty sps") << false << QByteArray::fromHex("01640028ff e1 0000 01")
                                   << "ts: AVC decoder configuration record has an empty "
                                      "parameter set at byte 6";
    QTest::newRow("avc sps too long")
        << false << QByteArray::fromHex("01640028ff e1 0010 6764")
        << "ts: AVC decoder configuration record parameter set of 16 bytes at byte 6 runs past "
           "the end (2 bytes left)";
    QTest::newRow("avc empty") << false << QByteArray()
                               << "ts: AVC decoder configuration record truncated at "
                                  "configurationVersion (byte 0)";
    QTest::newRow("hevc short") << true << QByteArray(22, '\x01')
                                << "ts: HEVC decoder configuration record of 22 bytes truncated, "
                                   "need at least 23";
    QTest::newRow("hevc version 2") << true << QByteArray(1, '\x02') + QByteArray(22, '\0')
                                    << "ts: HEVC configurationVersion 2 unsupported, allowed 1";
    QTest::newRow("hevc no vps")
        << true << hvcc(3, 2, QByteArray::fromHex("21 0001 0003 420102 22 0001 0003 440101"))
        << "ts: HEVC decoder configuration record has no VPS, need VPS, SPS and PPS";
    QTest::newRow("hevc one-byte pps")
        << true
        << hvcc(3, 3, QByteArray::fromHex("20 0001 0002 4001 21 0001 0002 4201 22 0001 0001 44"))
        << "ts: HEVC PPS of 1 byte too short for its 2-byte NAL header";
    QTest::newRow("hevc array header cut")
        << true << hvcc(3, 2, QByteArray::fromHex("20 0001 0002 4001 21 00"))
        << "ts: HEVC decoder configuration record truncated at NAL unit array header (byte 30)";
}

void tst_AnnexB::recordErrors() {
    QFETCH(bool, hevc);
    QFETCH(QByteArray, record);
    QFETCH(QString, error);
    const auto sets =
        hevc ? parseHevcDecoderConfig(view(record)) : parseAvcDecoderConfig(view(record));
    QVERIFY(!sets.has_value());
    QCOMPARE(QString::fromStdString(sets.error().message()), error);
}

void tst_AnnexB::split_data() {
    QTest::addColumn<int>("lengthSize");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QList<QByteArray>>("units");
    QTest::newRow("4-byte lengths")
        << 4
        << QByteArray::fromHex("00000002 0910"    // AUD
                               "00000003 65aabb") // IDR slice
        << QList<QByteArray>{QByteArray::fromHex("0910"), QByteArray::fromHex("65aabb")};
    QTest::newRow("2-byte lengths")
        << 2 << QByteArray::fromHex("0001 41 0002 4142")
        << QList<QByteArray>{QByteArray::fromHex("41"), QByteArray::fromHex("4142")};
    QTest::newRow("1-byte lengths")
        << 1 << QByteArray::fromHex("01 41 00 01 42")
        << QList<QByteArray>{QByteArray::fromHex("41"), QByteArray::fromHex("42")};
    QTest::newRow("empty") << 4 << QByteArray() << QList<QByteArray>{};
}

void tst_AnnexB::split() {
    QFETCH(int, lengthSize);
    QFETCH(QByteArray, data);
    QFETCH(QList<QByteArray>, units);
    std::vector<std::span<const std::uint8_t>> out;
    QVERIFY(splitNalUnits(view(data), static_cast<std::uint8_t>(lengthSize), out).has_value());
    QCOMPARE(out.size(), static_cast<std::size_t>(units.size()));
    for (qsizetype i = 0; i < units.size(); ++i) {
        QCOMPARE(qb(out[static_cast<std::size_t>(i)]), units[i]);
    }
}

void tst_AnnexB::splitErrors_data() {
    QTest::addColumn<int>("lengthSize");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("error");
    QTest::newRow("length past the end")
        << 4 << QByteArray::fromHex("00000002 0910 00000009 65aabb")
        << "ts: NAL unit length 9 at byte 6 exceeds the 3 bytes left in the frame";
    QTest::newRow("prefix cut") << 4 << QByteArray::fromHex("00000002 0910 0000")
                                << "ts: NAL unit length prefix truncated at byte 6 of 8";
    QTest::newRow("length size 0")
        << 0 << QByteArray::fromHex("00") << "ts: NAL unit length size 0 invalid, allowed 1..4";
}

void tst_AnnexB::splitErrors() {
    QFETCH(int, lengthSize);
    QFETCH(QByteArray, data);
    QFETCH(QString, error);
    std::vector<std::span<const std::uint8_t>> out;
    const auto status = splitNalUnits(view(data), static_cast<std::uint8_t>(lengthSize), out);
    QVERIFY(!status.has_value());
    QCOMPARE(QString::fromStdString(status.error().message()), error);
}

void tst_AnnexB::nalTypesAndStartCode() {
    const std::uint8_t idr[] = {0x65, 0x88};
    const std::uint8_t cra[] = {0x2a, 0x01}; // H.265 type 21 (CRA_NUT)
    QCOMPARE(int{nalUnitType(NalCodec::H264, idr)}, 5);
    QCOMPARE(int{nalUnitType(NalCodec::Hevc, cra)}, 21);
    std::vector<std::uint8_t> out = {0xEE};
    appendAnnexB(out, idr);
    QCOMPARE(qb(out).toHex(), QByteArray("ee000000016588"));
}

QTEST_APPLESS_MAIN(tst_AnnexB)
#include "tst_AnnexB.moc"
