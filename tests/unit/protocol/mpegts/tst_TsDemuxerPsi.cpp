// PSI for the demuxer (ISO/IEC 13818-1 2.4.4): the section assembler (pointer_field, sections
// spanning packets, several sections per packet, stuffing), the program association and
// program map tables, and their CRC_32 check.

#include <QtTest>

#include "DemuxTestSupport.h"
#include "protocol/mpegts/DemuxPsi.h"

using namespace stagecast::protocol::mpegts::demux;
using namespace stagecast::test;

namespace {

// The PAT ffmpeg writes: one program, PMT on PID 0x1000.
const QByteArray kPat = QByteArray::fromHex("00"         // table_id 0 (program_association_section)
                                            "b00d"       // syntax 1, '0', '11', section_length 13
                                            "0001"       // transport_stream_id 1
                                            "c1"         // '11', version_number 0, current_next 1
                                            "00"         // section_number
                                            "00"         // last_section_number
                                            "0001"       // program_number 1
                                            "f000"       // '111', program_map_PID 0x1000
                                            "2ab104b2"); // CRC_32

// A PMT with descriptors to skip and a stream type the demuxer does not use.
const QByteArray kPmt = QByteArray::fromHex("02"           // table_id 2 (TS_program_map_section)
                                            "b028"         // syntax 1, '0', '11', section_length 40
                                            "0001"         // program_number 1
                                            "c1"           // version_number 0, current_next 1
                                            "0000"         // section_number, last_section_number
                                            "e100"         // '111', PCR_PID 0x100
                                            "f006"         // '1111', program_info_length 6
                                            "050443554549" // registration_descriptor 'CUEI'
                                            "1b"           // stream_type 0x1B (H.264)
                                            "e100"         // elementary_PID 0x100
                                            "f000"         // ES_info_length 0
                                            "0f"           // stream_type 0x0F (AAC ADTS)
                                            "e101"         // elementary_PID 0x101
                                            "f006"         // ES_info_length 6
                                            "0a04656e6700" // ISO_639_language_descriptor 'eng'
                                            "06"           // stream_type 0x06 (PES private)
                                            "e102"         // elementary_PID 0x102
                                            "f000"         // ES_info_length 0
                                            "ca42d786");   // CRC_32

QByteArray corruptAt(QByteArray b, qsizetype index, char value) {
    b[index] = value;
    return b;
}

} // namespace

class tst_TsDemuxerPsi : public QObject {
    Q_OBJECT

private slots:
    void crc();
    void pat_data();
    void pat();
    void patErrors_data();
    void patErrors();
    void pmt();
    void pmtLimitsStreams();
    void pmtErrors_data();
    void pmtErrors();
    void assembler_data();
    void assembler();
    void assemblerSplitAtEveryByte();
    void assemblerJoinsMidSection();
};

void tst_TsDemuxerPsi::crc() {
    QVERIFY(sectionCrcOk(view(kPat)));
    QVERIFY(sectionCrcOk(view(kPmt)));
    QVERIFY(!sectionCrcOk(view(corruptAt(kPat, 9, 0x02))));
    QVERIFY(!sectionCrcOk(view(corruptAt(kPat, 15, 0x00))));
    QVERIFY(!sectionCrcOk({}));
}

void tst_TsDemuxerPsi::pat_data() {
    QTest::addColumn<QByteArray>("section");
    QTest::addColumn<QList<int>>("numbers");
    QTest::addColumn<QList<int>>("pids");
    QTest::addColumn<int>("version");

    QTest::newRow("ffmpeg one program") << kPat << QList<int>{1} << QList<int>{0x1000} << 0;
    QTest::newRow("network PID entry first")
        << qb(withCrc(bytesOf(QByteArray::fromHex("00"       // table_id
                                                  "b011"     // section_length 17
                                                  "0001"     // transport_stream_id
                                                  "c3"       // version_number 1, current_next 1
                                                  "0000"     // section numbers
                                                  "0000"     // program_number 0: network
                                                  "e010"     // network_PID 0x10
                                                  "0001"     // program_number 1
                                                  "f000")))) // program_map_PID 0x1000
        << QList<int>{0, 1} << QList<int>{0x10, 0x1000} << 1;
}

void tst_TsDemuxerPsi::pat() {
    QFETCH(QByteArray, section);
    QFETCH(QList<int>, numbers);
    QFETCH(QList<int>, pids);
    QFETCH(int, version);
    auto pat = parsePat(view(section), 16);
    QVERIFY2(pat, pat ? "" : pat.error().message().c_str());
    QCOMPARE(pat->transportStreamId, 1);
    QCOMPARE(pat->version, version);
    QVERIFY(pat->current);
    QCOMPARE(static_cast<qsizetype>(pat->programs.size()), numbers.size());
    for (qsizetype i = 0; i < numbers.size(); ++i) {
        QCOMPARE(pat->programs[static_cast<std::size_t>(i)].programNumber, numbers[i]);
        QCOMPARE(pat->programs[static_cast<std::size_t>(i)].pid, pids[i]);
    }
    // maxPrograms keeps the first entries only.
    auto limited = parsePat(view(section), 1);
    QVERIFY(limited);
    QCOMPARE(limited->programs.size(), 1U);
    QCOMPARE(limited->programs[0].programNumber, numbers[0]);
}

void tst_TsDemuxerPsi::patErrors_data() {
    QTest::addColumn<QByteArray>("section");
    QTest::addColumn<QString>("error");

    QTest::newRow("bad crc") << corruptAt(kPat, 11, 0x01) << "CRC_32 mismatch";
    QTest::newRow("pmt table id") << qb(withCrc(bytesOf(corruptAt(kPat.left(12), 0, 0x02))))
                                  << "table_id 2 invalid, allowed 0";
    QTest::newRow("syntax indicator 0") << qb(withCrc(bytesOf(corruptAt(kPat.left(12), 1, '\x30'))))
                                        << "section_syntax_indicator 0 invalid";
    QTest::newRow("length mismatch")
        << qb(withCrc(bytesOf(corruptAt(kPat.left(12), 2, 0x0e)))) << "section_length 14 invalid";
    QTest::newRow("program loop not multiple of 4")
        << qb(withCrc(bytesOf(QByteArray::fromHex("00b00e0001c100000001f00000"))))
        << "program loop of 5 bytes invalid";
    QTest::newRow("too short") << QByteArray::fromHex("00b0050001c1") << "too short";
}

void tst_TsDemuxerPsi::patErrors() {
    QFETCH(QByteArray, section);
    QFETCH(QString, error);
    auto pat = parsePat(view(section), 16);
    QVERIFY(!pat);
    QVERIFY2(QString::fromStdString(pat.error().message()).contains(error),
             pat.error().message().c_str());
}

void tst_TsDemuxerPsi::pmt() {
    auto pmt = parsePmt(view(kPmt), 16);
    QVERIFY2(pmt, pmt ? "" : pmt.error().message().c_str());
    QCOMPARE(pmt->programNumber, 1);
    QCOMPARE(pmt->version, 0);
    QCOMPARE(pmt->pcrPid, 0x100);
    QCOMPARE(pmt->streams.size(), 3U);
    QCOMPARE(pmt->streams[0].streamType, 0x1B);
    QCOMPARE(pmt->streams[0].pid, 0x100);
    QCOMPARE(pmt->streams[1].streamType, 0x0F);
    QCOMPARE(pmt->streams[1].pid, 0x101);
    QCOMPARE(pmt->streams[2].streamType, 0x06);
    QCOMPARE(pmt->streams[2].pid, 0x102);
}

void tst_TsDemuxerPsi::pmtLimitsStreams() {
    auto pmt = parsePmt(view(kPmt), 2);
    QVERIFY(pmt);
    QCOMPARE(pmt->streams.size(), 2U);
}

void tst_TsDemuxerPsi::pmtErrors_data() {
    QTest::addColumn<QByteArray>("section");
    QTest::addColumn<QString>("error");
    // ES_info_length 7 on the last entry: one byte beyond the loop.
    QTest::newRow("es info past end")
        << qb(withCrc(bytesOf(corruptAt(kPmt.left(kPmt.size() - 4), 38, 0x07))))
        << "entry 2 runs past the section";
    QTest::newRow("program info past end")
        << qb(withCrc(bytesOf(corruptAt(kPmt.left(kPmt.size() - 4), 11, '\x60'))))
        << "program_info runs past";
    QTest::newRow("pat given as pmt") << kPat << "table_id 0 invalid, allowed 2";
    QTest::newRow("bad crc") << corruptAt(kPmt, 20, 0x1c) << "CRC_32 mismatch";
}

void tst_TsDemuxerPsi::pmtErrors() {
    QFETCH(QByteArray, section);
    QFETCH(QString, error);
    auto pmt = parsePmt(view(section), 16);
    QVERIFY(!pmt);
    QVERIFY2(QString::fromStdString(pmt.error().message()).contains(error),
             pmt.error().message().c_str());
}

void tst_TsDemuxerPsi::assembler_data() {
    QTest::addColumn<QList<QByteArray>>("payloads"); // TS packet payloads
    QTest::addColumn<QList<bool>>("unitStarts");
    QTest::addColumn<QList<QByteArray>>("expected");

    const QByteArray stuffing(40, '\xff');
    QTest::newRow("one section, pointer 0")
        << QList<QByteArray>{QByteArray(1, '\0') + kPat + stuffing} << QList<bool>{true}
        << QList<QByteArray>{kPat};
    QTest::newRow("two sections in one packet")
        << QList<QByteArray>{QByteArray(1, '\0') + kPat + kPmt + stuffing} << QList<bool>{true}
        << QList<QByteArray>{kPat, kPmt};
    QTest::newRow("section spanning two packets")
        << QList<QByteArray>{QByteArray(1, '\0') + kPmt.left(20), kPmt.mid(20) + stuffing}
        << QList<bool>{true, false} << QList<QByteArray>{kPmt};
    // pointer_field 4: the first 4 bytes end the previous section, then a new one starts.
    QTest::newRow("pointer field ends previous section")
        << QList<QByteArray>{QByteArray(1, '\0') + kPat.left(12),
                             QByteArray(1, '\x04') + kPat.mid(12) + kPmt + stuffing}
        << QList<bool>{true, true} << QList<QByteArray>{kPat, kPmt};
    QTest::newRow("pointer field past packet") << QList<QByteArray>{QByteArray(1, '\xb7') + kPat}
                                               << QList<bool>{true} << QList<QByteArray>{};
    QTest::newRow("continuation without start ignored")
        << QList<QByteArray>{kPat + stuffing} << QList<bool>{false} << QList<QByteArray>{};
}

void tst_TsDemuxerPsi::assembler() {
    QFETCH(QList<QByteArray>, payloads);
    QFETCH(QList<bool>, unitStarts);
    QFETCH(QList<QByteArray>, expected);
    DemuxSectionAssembler assembler;
    std::vector<Bytes> sections;
    for (qsizetype i = 0; i < payloads.size(); ++i) {
        assembler.push(view(payloads[i]), unitStarts[i], sections);
    }
    QCOMPARE(static_cast<qsizetype>(sections.size()), expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i) {
        QCOMPARE(qb(sections[static_cast<std::size_t>(i)]), expected[i]);
    }
}

void tst_TsDemuxerPsi::assemblerSplitAtEveryByte() {
    // The PMT split across two packets at every position gives the same section.
    for (qsizetype k = 0; k <= kPmt.size(); ++k) {
        DemuxSectionAssembler assembler;
        std::vector<Bytes> sections;
        assembler.push(view(QByteArray(1, '\0') + kPmt.left(k)), true, sections);
        assembler.push(view(kPmt.mid(k) + QByteArray(8, '\xff')), false, sections);
        QVERIFY2(sections.size() == 1, QByteArray::number(k).constData());
        QCOMPARE(qb(sections[0]), kPmt);
    }
}

void tst_TsDemuxerPsi::assemblerJoinsMidSection() {
    // After reset() (a continuity gap) the continuation is ignored until the next start.
    DemuxSectionAssembler assembler;
    std::vector<Bytes> sections;
    assembler.push(view(QByteArray(1, '\0') + kPmt.left(20)), true, sections);
    assembler.reset();
    assembler.push(view(kPmt.mid(20)), false, sections);
    QVERIFY(sections.empty());
    assembler.push(view(QByteArray(1, '\0') + kPat), true, sections);
    QCOMPARE(sections.size(), 1U);
    QCOMPARE(qb(sections[0]), kPat);
}

QTEST_APPLESS_MAIN(tst_TsDemuxerPsi)
#include "tst_TsDemuxerPsi.moc"
