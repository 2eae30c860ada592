// The program's encoded packets as hub payloads: Annex-B splitting and length prefixes, the
// AVC configuration record built from the encoder's SPS/PPS (and read back by Stagecast's own
// parser), and the FLV tag body headers.

#include <QtTest>

#include "director/FlvPayload.h"
#include "protocol/codec/CodecConfig.h"

using namespace stagecast::director;
using Bytes = std::vector<std::uint8_t>;

namespace {

// x264's header for 320x240 High profile, level 1.3 (as obs_x264 puts it in its extra data):
// SPS and PPS behind 4-byte start codes.
const Bytes kSps = {0x67, 0x64, 0x00, 0x0d, 0xac, 0xd9, 0x41, 0x41, 0xfb, 0x01, 0x10, 0x00, 0x00,
                    0x03, 0x00, 0x10, 0x00, 0x00, 0x03, 0x03, 0xc0, 0xf1, 0x42, 0x99, 0x60};
const Bytes kPps = {0x68, 0xef, 0x8f, 0xcb};

Bytes annexB(std::initializer_list<Bytes> units, bool longCodes = true) {
    Bytes out;
    for (const auto& u : units) {
        if (longCodes) {
            out.push_back(0);
        }
        out.insert(out.end(), {0, 0, 1});
        out.insert(out.end(), u.begin(), u.end());
    }
    return out;
}

} // namespace

class tst_FlvPayload : public QObject {
    Q_OBJECT

private slots:
    void splitsAtThreeAndFourByteStartCodes() {
        Bytes stream = annexB({{0x09, 0xf0}}, true);
        const auto rest = annexB({{0x65, 0x88, 0x80, 0x00, 0x00, 0x03}, {0x06, 0x05}}, false);
        stream.insert(stream.end(), rest.begin(), rest.end());
        const auto units = splitAnnexB(stream);
        QCOMPARE(units.size(), std::size_t(3));
        QCOMPARE(Bytes(units[0].begin(), units[0].end()), (Bytes{0x09, 0xf0}));
        // The emulation-prevented zeros inside a unit stay; only start codes split.
        QCOMPARE(Bytes(units[1].begin(), units[1].end()),
                 (Bytes{0x65, 0x88, 0x80, 0x00, 0x00, 0x03}));
        QCOMPARE(Bytes(units[2].begin(), units[2].end()), (Bytes{0x06, 0x05}));
        QVERIFY(splitAnnexB({}).empty());
    }

    void lengthPrefixesEachUnit() {
        const auto out = toLengthPrefixed(annexB({{0x65, 0x01, 0x02}, {0x41, 0x09}}));
        QCOMPARE(out, (Bytes{0, 0, 0, 3, 0x65, 0x01, 0x02, 0, 0, 0, 2, 0x41, 0x09}));
    }

    void configurationRecordFromHeaders() {
        auto record = avcConfigRecord(annexB({kSps, kPps}));
        QVERIFY2(record.has_value(), record ? "" : record.error().message().c_str());
        QCOMPARE((*record)[0], std::uint8_t(1));
        QCOMPARE((*record)[1], std::uint8_t(0x64)); // High
        QCOMPARE((*record)[3], std::uint8_t(0x0d)); // level 1.3
        QCOMPARE((*record)[4], std::uint8_t(0xff)); // 4-byte lengths
        QCOMPARE((*record)[5], std::uint8_t(0xe1)); // one SPS
        // Stagecast's own parser (what the hub and HLS use) reads it back.
        auto parsed = stagecast::protocol::codec::parseAvcConfig(*record);
        QVERIFY2(parsed.has_value(), parsed ? "" : parsed.error().message().c_str());
        QCOMPARE(parsed->codec, std::string("h264"));
        QCOMPARE(parsed->width, 320U);
        QCOMPARE(parsed->height, 240U);
    }

    void configurationRecordNamesWhatIsMissing() {
        auto noSps = avcConfigRecord(annexB({kPps}));
        QVERIFY(!noSps);
        QCOMPARE(noSps.error().message(), std::string("no SPS in the encoder's header"));
        auto noPps = avcConfigRecord(annexB({kSps}));
        QVERIFY(!noPps);
        QCOMPARE(noPps.error().message(), std::string("no PPS in the encoder's header"));
    }

    void tagBodyHeaders() {
        QCOMPARE(avcSequenceHeader(Bytes{1, 2}), (Bytes{0x17, 0, 0, 0, 0, 1, 2}));
        QCOMPARE(avcFrame(true, 66, Bytes{9}), (Bytes{0x17, 1, 0, 0, 66, 9}));
        QCOMPARE(avcFrame(false, 0x010203, Bytes{}), (Bytes{0x27, 1, 1, 2, 3}));
        QCOMPARE(avcFrame(false, -33, Bytes{}), (Bytes{0x27, 1, 0xff, 0xff, 0xdf}));
        QCOMPARE(aacSequenceHeader(Bytes{0x11, 0x90}), (Bytes{0xaf, 0, 0x11, 0x90}));
        QCOMPARE(aacFrame(Bytes{0x21}), (Bytes{0xaf, 1, 0x21}));
    }
};

QTEST_APPLESS_MAIN(tst_FlvPayload)
#include "tst_FlvPayload.moc"
