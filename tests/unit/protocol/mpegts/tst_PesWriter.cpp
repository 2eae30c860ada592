// PES headers with PTS/DTS (ISO/IEC 13818-1 2.4.3.6/2.4.3.7) and their packetization into
// transport packets: adaptation field with PCR and random_access_indicator (2.4.3.4),
// adaptation-field stuffing of the last packet, continuity counters, PCR-only packets.
// Expected bytes were worked out by hand from the syntax tables.

#include <QtTest>

#include <vector>

#include "TsInspect.h"
#include "protocol/mpegts/PesWriter.h"

using namespace stagecast::protocol::mpegts;

namespace {

QByteArray qb(const std::vector<std::uint8_t>& v) {
    return QByteArray(reinterpret_cast<const char*>(v.data()), static_cast<qsizetype>(v.size()));
}

// A PES-like buffer of `n` bytes 0, 1, 2, ... (the packetizer does not look inside).
std::vector<std::uint8_t> ramp(std::size_t n) {
    std::vector<std::uint8_t> v(n);
    for (std::size_t i = 0; i < n; ++i) {
        v[i] = static_cast<std::uint8_t>(i);
    }
    return v;
}

QByteArray ff(qsizetype n) {
    return QByteArray(n, '\xff');
}

} // namespace

class tst_PesWriter : public QObject {
    Q_OBJECT

private slots:
    void pesHeader_data();
    void pesHeader();
    void timestamp_data();
    void timestamp();
    void packets_data();
    void packets();
    void continuityCounterWraps();
    void pcrPacket();
    void everySizeFillsWholePackets();
};

void tst_PesWriter::pesHeader_data() {
    QTest::addColumn<uint>("streamId");
    QTest::addColumn<qulonglong>("pts");
    QTest::addColumn<qulonglong>("dts");
    QTest::addColumn<qulonglong>("payloadSize");
    QTest::addColumn<bool>("bounded");
    QTest::addColumn<QByteArray>("expected");

    // First B-frame-delayed picture of the fixture: dts 0, pts 200 ms = 18000.
    QTest::newRow("video pts+dts unbounded")
        << 0xE0U << 18000ULL << 0ULL << 1000ULL << false
        << QByteArray::fromHex(
               "000001"      // packet_start_code_prefix
               "e0"          // stream_id: video stream 0
               "0000"        // PES_packet_length 0: unbounded (video only)
               "84"          // '10', not scrambled, data_alignment_indicator 1
               "c0"          // PTS_DTS_flags '11', no other optional fields
               "0a"          // PES_header_data_length 10
               "310001 8ca1" // '0011' PTS[32..30]=0 1, [29..15]=0 1, [14..0]=18000 1
               "110001 0001" // '0001' DTS = 0 with marker bits
           );
    QTest::newRow("video pts only when equal")
        << 0xE0U << 9000ULL << 9000ULL << 10ULL << false
        << QByteArray::fromHex("000001e0 0000 84"
                               "80"          // PTS_DTS_flags '10'
                               "05"          // PES_header_data_length 5
                               "210001 4651" // '0010' PTS 9000 (0x2328)
           );
    // AAC frame of 100 bytes at 154 ms = 13860: length = 3 + 5 + 100 = 108.
    QTest::newRow("audio bounded") << 0xC0U << 13860ULL << 13860ULL << 100ULL << true
                                   << QByteArray::fromHex("000001 c0" // stream_id: audio stream 0
                                                          "006c"      // PES_packet_length 108
                                                          "84 80 05"
                                                          "210001 6c49" // PTS 13860 (0x3624)
                                      );
    QTest::newRow("bounded but too long") << 0xC0U << 0ULL << 0ULL << 65528ULL << true
                                          << QByteArray::fromHex("000001c0"
                                                                 "0000" // 3 + 5 + 65528 > 65535: 0
                                                                 "848005 2100010001");
    QTest::newRow("bounded at the limit") << 0xC0U << 0ULL << 0ULL << 65527ULL << true
                                          << QByteArray::fromHex("000001c0"
                                                                 "ffff" // 3 + 5 + 65527 = 65535
                                                                 "848005 2100010001");
}

void tst_PesWriter::pesHeader() {
    QFETCH(uint, streamId);
    QFETCH(qulonglong, pts);
    QFETCH(qulonglong, dts);
    QFETCH(qulonglong, payloadSize);
    QFETCH(bool, bounded);
    QFETCH(QByteArray, expected);
    std::vector<std::uint8_t> out = {0xAA}; // appends, keeps what is there
    appendPesHeader(out, static_cast<std::uint8_t>(streamId), {pts, dts}, payloadSize, bounded);
    QCOMPARE(qb(out), QByteArray(1, '\xaa') + expected);
}

void tst_PesWriter::timestamp_data() {
    QTest::addColumn<uint>("prefix");
    QTest::addColumn<qulonglong>("ts");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("zero") << 2U << 0ULL << QByteArray::fromHex("2100010001");
    QTest::newRow("max 33 bits") << 3U << 0x1FFFFFFFFULL << QByteArray::fromHex("3fffffffff");
    QTest::newRow("bit 32 only") << 1U << 0x100000000ULL << QByteArray::fromHex("1900010001");
    // 2^33 + 5 wraps to 5: 33-bit arithmetic, 2.4.3.7.
    QTest::newRow("wraps") << 2U << 0x200000005ULL << QByteArray::fromHex("210001000b");
    // One bit in each of the three groups: 2^30 | 2^15 | 1.
    QTest::newRow("groups") << 2U << 0x40008001ULL << QByteArray::fromHex("2300030003");
}

void tst_PesWriter::timestamp() {
    QFETCH(uint, prefix);
    QFETCH(qulonglong, ts);
    QFETCH(QByteArray, expected);
    std::vector<std::uint8_t> out;
    appendTimestamp(out, static_cast<std::uint8_t>(prefix), ts);
    QCOMPARE(qb(out), expected);
}

void tst_PesWriter::packets_data() {
    QTest::addColumn<uint>("pesSize");
    QTest::addColumn<bool>("withPcr");
    QTest::addColumn<bool>("randomAccess");
    QTest::addColumn<QByteArray>("expected");

    const QByteArray r20 = qb(ramp(20));
    QTest::newRow("short pes stuffed")
        << 20U << false << false
        << QByteArray::fromHex("47"        // sync_byte
                               "4101"      // payload_unit_start 1, PID 0x101
                               "35")       // adaptation_field_control '11', continuity_counter 5
               + QByteArray::fromHex("a3"  // adaptation_field_length 163
                                     "00") // no flags
               + ff(162) + r20;
    const QByteArray r183 = qb(ramp(183));
    QTest::newRow("one byte of stuffing")
        << 183U << false << false
        << QByteArray::fromHex("47410135"
                               "00") // adaptation_field_length 0: the field is the stuffing
               + r183;
    const QByteArray r182 = qb(ramp(182));
    QTest::newRow("two bytes of stuffing") << 182U << false << false
                                           << QByteArray::fromHex("47410135"
                                                                  "01"  // length 1
                                                                  "00") // flags only
                                                  + r182;
    const QByteArray r184 = qb(ramp(184));
    QTest::newRow("exactly one packet")
        << 184U << false << false
        << QByteArray::fromHex("474101"
                               "15") // adaptation_field_control '01': payload only
               + r184;
    // 400 bytes with PCR: 176 + 184 + 40 (stuffed with a 144-byte adaptation field).
    const QByteArray r400 = qb(ramp(400));
    QTest::newRow("pcr and random access over three packets")
        << 400U << true << true
        << QByteArray::fromHex("47410135"
                               "07"            // adaptation_field_length 7
                               "50"            // random_access_indicator, PCR_flag
                               "000011947e00") // PCR base 9000 (100 ms), reserved, ext 0
               + r400.left(176) +
               QByteArray::fromHex("470101"
                                   "16") // no unit start, payload only, cc 6
               + r400.mid(176, 184) +
               QByteArray::fromHex("470101"
                                   "37"    // adaptation + payload, cc 7
                                   "8f00") // length 143, no flags
               + ff(142) + r400.mid(360);
    QTest::newRow("random access without pcr")
        << 10U << false << true
        << QByteArray::fromHex("47410135"
                               "ad"  // adaptation_field_length 173
                               "40") // random_access_indicator only
               + ff(172) + qb(ramp(10));
    QTest::newRow("pcr in a one-packet pes") << 170U << true << false
                                             << QByteArray::fromHex("47410135"
                                                                    "0d" // 1 + 6 + 6 stuffing bytes
                                                                    "10" // PCR_flag
                                                                    "000011947e00") // PCR 9000
                                                    + ff(6) + qb(ramp(170));
}

void tst_PesWriter::packets() {
    QFETCH(uint, pesSize);
    QFETCH(bool, withPcr);
    QFETCH(bool, randomAccess);
    QFETCH(QByteArray, expected);
    PacketOptions options;
    if (withPcr) {
        options.pcrBase = 9000;
    }
    options.randomAccess = randomAccess;
    std::uint8_t cc = 5;
    std::vector<std::uint8_t> out;
    writePesPackets(out, 0x101, ramp(pesSize), options, cc);
    QCOMPARE(qb(out).toHex(), expected.toHex());
    QCOMPARE(int{cc}, static_cast<int>((5 + expected.size() / 188) % 16));
}

void tst_PesWriter::continuityCounterWraps() {
    std::uint8_t cc = 14;
    std::vector<std::uint8_t> out;
    writePesPackets(out, 0x100, ramp(184 * 20), {}, cc);
    QCOMPARE(out.size(), std::size_t{188 * 20});
    for (std::size_t i = 0; i < 20; ++i) {
        QCOMPARE(out[i * 188 + 3] & 0x0F, static_cast<int>((14 + i) % 16));
        QCOMPARE(out[i * 188 + 1] & 0x40, i == 0 ? 0x40 : 0);
    }
    QCOMPARE(int{cc}, (14 + 20) % 16);
}

void tst_PesWriter::pcrPacket() {
    std::vector<std::uint8_t> out;
    writePcrPacket(out, 0x100, 0x1FFFFFFFF, 9);
    const QByteArray expected = QByteArray::fromHex("47"
                                                    "0100"     // no unit start, PID 0x100
                                                    "29"       // adaptation only, cc 9 (unchanged)
                                                    "b7"       // adaptation_field_length 183
                                                    "10"       // PCR_flag
                                                    "ffffffff" // PCR base: all 33 bits ...
                                                    "fe00")    // ... last bit, reserved, ext 0
                                + ff(176);
    QCOMPARE(qb(out).toHex(), expected.toHex());
}

void tst_PesWriter::everySizeFillsWholePackets() {
    // Every PES size across three packet boundaries, with and without an adaptation field in
    // the first packet: whole packets, the payload comes back intact.
    for (std::size_t size = 1; size <= 3 * 184 + 2; ++size) {
        for (int flags = 0; flags < 3; ++flags) {
            PacketOptions options;
            options.randomAccess = flags >= 1;
            if (flags == 2) {
                options.pcrBase = 123456789;
            }
            std::uint8_t cc = 0;
            std::vector<std::uint8_t> pes = ramp(size);
            // Make it parse as a PES for the inspector.
            if (size >= 9) {
                pes[0] = 0;
                pes[1] = 0;
                pes[2] = 1;
                pes[4] = 0;
                pes[5] = 0;
                pes[7] = 0;
                pes[8] = 0;
            }
            std::vector<std::uint8_t> out;
            writePesPackets(out, 0x100, pes, options, cc);
            QVERIFY(out.size() % 188 == 0);
            QCOMPARE(out.size() / 188, (size + (flags == 2 ? 8 : flags == 1 ? 2 : 0) + 183) / 184);
            if (size < 9) {
                continue;
            }
            const auto inspected = stagecast::test::inspectTs(out);
            QVERIFY2(inspected.error.empty(), inspected.error.c_str());
            QCOMPARE(inspected.pes.size(), std::size_t{1});
            QCOMPARE(inspected.pes[0].payload.size(), size - 9);
            QCOMPARE(inspected.pes[0].randomAccess, options.randomAccess);
            QCOMPARE(inspected.pes[0].pcrBase, options.pcrBase);
        }
    }
}

QTEST_APPLESS_MAIN(tst_PesWriter)
#include "tst_PesWriter.moc"
