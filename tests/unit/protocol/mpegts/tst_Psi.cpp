// PAT (ISO/IEC 13818-1 2.4.4.3) and PMT (2.4.4.8) sections and their transport packets. The
// CRC_32 values were computed with a separate bitwise CRC-32/MPEG-2 and are checked again here
// with the property that the CRC over a whole section (CRC included) is 0.

#include <QtTest>

#include <vector>

#include "protocol/mpegts/Crc32.h"
#include "protocol/mpegts/Psi.h"

using namespace stagecast::protocol::mpegts;

namespace {

QByteArray qb(const std::vector<std::uint8_t>& v) {
    return QByteArray(reinterpret_cast<const char*>(v.data()), static_cast<qsizetype>(v.size()));
}

} // namespace

class tst_Psi : public QObject {
    Q_OBJECT

private slots:
    void pat();
    void pmt_data();
    void pmt();
    void sectionPacket();
};

void tst_Psi::pat() {
    const auto section = patSection(0x1000);
    const QByteArray expected = QByteArray::fromHex("00"   // table_id: program_association_section
                                                    "b00d" // syntax 1, '0', '11', length 13
                                                    "0001" // transport_stream_id 1
                                                    "c1"   // '11', version 0, current_next 1
                                                    "00"   // section_number
                                                    "00"   // last_section_number
                                                    "0001" // program_number 1
                                                    "f000" // '111', program_map_PID 0x1000
                                                    "2ab104b2"); // CRC_32
    QCOMPARE(qb(section).toHex(), expected.toHex());
    QCOMPARE(crc32Mpeg2(section), 0U);
}

void tst_Psi::pmt_data() {
    QTest::addColumn<uint>("pcrPid");
    QTest::addColumn<QList<uint>>("streams"); // stream_type << 16 | PID
    QTest::addColumn<uint>("version");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("h264 + aac") << 0x100U << QList<uint>{0x1B0100, 0x0F0101} << 0U
                                << QByteArray::fromHex("02"   // table_id: TS_program_map_section
                                                       "b017" // length 23
                                                       "0001" // program_number 1
                                                       "c1"   // version 0, current_next 1
                                                       "0000" // section / last section
                                                       "e100" // '111', PCR_PID 0x100
                                                       "f000" // '1111', program_info_length 0
                                                       "1b"   // stream_type H.264
                                                       "e100" // '111', elementary_PID 0x100
                                                       "f000" // '1111', ES_info_length 0
                                                       "0f"   // stream_type AAC ADTS
                                                       "e101" // elementary_PID 0x101
                                                       "f000"
                                                       "2f44b99b"); // CRC_32
    QTest::newRow("hevc only") << 0x100U << QList<uint>{0x240100} << 0U
                               << QByteArray::fromHex("02b012 0001 c1 0000 e100 f000"
                                                      "24 e100 f000" // stream_type 0x24 HEVC
                                                      "2f006ee7");
    QTest::newRow("audio only, pcr on audio") << 0x101U << QList<uint>{0x0F0101} << 0U
                                              << QByteArray::fromHex("02b012 0001 c1 0000"
                                                                     "e101" // PCR_PID 0x101
                                                                     "f000 0f e101 f000"
                                                                     "ece2b094");
    QTest::newRow("empty, no pcr") << 0x1FFFU << QList<uint>{} << 0U
                                   << QByteArray::fromHex("02b00d 0001 c1 0000"
                                                          "ffff" // PCR_PID 0x1FFF: none
                                                          "f000"
                                                          "1cc8d73f");
    QTest::newRow("version 1") << 0x100U << QList<uint>{0x1B0100, 0x0F0101} << 1U
                               << QByteArray::fromHex("02b017 0001"
                                                      "c3" // '11', version 1, current_next 1
                                                      "0000 e100 f000 1be100f000 0fe101f000"
                                                      "00e2db21");
}

void tst_Psi::pmt() {
    QFETCH(uint, pcrPid);
    QFETCH(QList<uint>, streams);
    QFETCH(uint, version);
    QFETCH(QByteArray, expected);
    std::vector<PmtStream> list;
    for (const uint s : streams) {
        list.push_back({static_cast<std::uint8_t>(s >> 16), static_cast<std::uint16_t>(s)});
    }
    const auto section =
        pmtSection(static_cast<std::uint16_t>(pcrPid), list, static_cast<std::uint8_t>(version));
    QCOMPARE(qb(section).toHex(), expected.toHex());
    QCOMPARE(crc32Mpeg2(section), 0U);
}

void tst_Psi::sectionPacket() {
    std::uint8_t cc = 15;
    std::vector<std::uint8_t> out;
    writeSectionPacket(out, 0x1000, patSection(0x1000), cc);
    QCOMPARE(out.size(), std::size_t{188});
    const QByteArray expected = QByteArray::fromHex("47"
                                                    "5000" // payload_unit_start 1, PID 0x1000
                                                    "1f"   // payload only, continuity_counter 15
                                                    "00"   // pointer_field
                                                    "00b00d0001c100000001f0002ab104b2") +
                                QByteArray(188 - 21, '\xff'); // stuffing after the section
    QCOMPARE(qb(out).toHex(), expected.toHex());
    QCOMPARE(int{cc}, 0); // wrapped
}

QTEST_APPLESS_MAIN(tst_Psi)
#include "tst_Psi.moc"
