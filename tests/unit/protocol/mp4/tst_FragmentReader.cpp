// Tests for mp4::readFragmentSamples: what fragment() wrote reads back (tracks, decode times,
// signed composition offsets, sizes, sync flags); an annotated hand-made moof that uses the
// tfhd defaults, first_sample_flags and a version 0 tfdt; a truncation inside a box is an
// error, never a crash; malformed boxes are named.

#include <QtTest>

#include <cstdint>
#include <vector>

#include "protocol/mp4/Fmp4.h"
#include "protocol/mp4/FragmentReader.h"

namespace mp4 = stagecast::protocol::mp4;

namespace {

using Bytes = std::vector<std::uint8_t>;

void u32(Bytes& b, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) {
        b.push_back(static_cast<std::uint8_t>(v >> shift));
    }
}

Bytes box(const char* type, const Bytes& payload) {
    Bytes b;
    u32(b, static_cast<std::uint32_t>(payload.size() + 8));
    b.insert(b.end(), type, type + 4);
    b.insert(b.end(), payload.begin(), payload.end());
    return b;
}

Bytes cat(std::initializer_list<Bytes> parts) {
    Bytes out;
    for (const auto& p : parts) {
        out.insert(out.end(), p.begin(), p.end());
    }
    return out;
}

/// A moof whose samples take their duration and flags from tfhd.
Bytes handMadeMoof() {
    Bytes tfhd;
    u32(tfhd, 0x00000028); // version 0, flags: default-sample-duration | default-sample-flags
    u32(tfhd, 3);          // track_ID
    u32(tfhd, 40);         // default_sample_duration
    u32(tfhd, 0x00010000); // default_sample_flags: sample_is_non_sync_sample
    Bytes tfdt;
    u32(tfdt, 0x00000000); // version 0: 32-bit time
    u32(tfdt, 5000);       // baseMediaDecodeTime
    Bytes trun;
    u32(trun, 0x00000205); // data-offset | first-sample-flags | sample-size
    u32(trun, 3);          // sample_count
    u32(trun, 0);          // data_offset
    u32(trun, 0x02000000); // first_sample_flags: depends on nothing, sync
    u32(trun, 100);        // sample 0 size
    u32(trun, 200);        // sample 1 size
    u32(trun, 300);        // sample 2 size
    Bytes mfhd;
    u32(mfhd, 0);
    u32(mfhd, 1);
    auto traf = box("traf", cat({box("tfhd", tfhd), box("tfdt", tfdt), box("trun", trun)}));
    return cat({box("moof", cat({box("mfhd", mfhd), traf})), box("mdat", Bytes(600, 0))});
}

} // namespace

class tst_FragmentReader : public QObject {
    Q_OBJECT

private slots:
    void readsWhatFragmentWrote() {
        const Bytes a(50, 1), b(20, 2), c(30, 3), aac(10, 4);
        mp4::TrackRun video{1, 90000, {{33, 0, true, a}, {33, 66, false, b}, {34, -33, false, c}}};
        mp4::TrackRun audio{2, 89990, {{21, 0, true, aac}, {21, 0, true, aac}}};
        const auto bytes = mp4::fragment(7, {video, audio});
        auto samples = mp4::readFragmentSamples(bytes);
        QVERIFY2(samples.has_value(), samples ? "" : samples.error().message().c_str());
        QCOMPARE(samples->size(), std::size_t{5});
        const auto& s = *samples;
        QCOMPARE(s[0].trackId, 1u);
        QCOMPARE(s[0].decodeTime, std::uint64_t{90000});
        QCOMPARE(s[1].decodeTime, std::uint64_t{90033});
        QCOMPARE(s[2].decodeTime, std::uint64_t{90066});
        QCOMPARE(s[1].ctsOffset, 66);
        QCOMPARE(s[2].ctsOffset, -33);
        QVERIFY(s[0].sync);
        QVERIFY(!s[1].sync && !s[2].sync);
        QCOMPARE(s[0].size, 50u);
        QCOMPARE(s[2].size, 30u);
        QCOMPARE(s[3].trackId, 2u);
        QCOMPARE(s[3].decodeTime, std::uint64_t{89990});
        QCOMPARE(s[4].decodeTime, std::uint64_t{90011});
    }

    void usesTrackDefaults() {
        auto samples = mp4::readFragmentSamples(handMadeMoof());
        QVERIFY2(samples.has_value(), samples ? "" : samples.error().message().c_str());
        QCOMPARE(samples->size(), std::size_t{3});
        const auto& s = *samples;
        QCOMPARE(s[0].trackId, 3u);
        QCOMPARE(s[0].decodeTime, std::uint64_t{5000});
        QCOMPARE(s[1].decodeTime, std::uint64_t{5040});
        QCOMPARE(s[2].decodeTime, std::uint64_t{5080});
        QVERIFY(s[0].sync);  // first_sample_flags
        QVERIFY(!s[1].sync); // tfhd default: non-sync
        QCOMPARE(s[1].size, 200u);
    }

    void twoFragmentsInARow() {
        const auto one = handMadeMoof();
        auto samples = mp4::readFragmentSamples(cat({one, one}));
        QVERIFY(samples.has_value());
        QCOMPARE(samples->size(), std::size_t{6});
    }

    void everyTruncationIsAnErrorOrABoxBoundary() {
        // A prefix that ends inside a box is an error; one that ends between boxes (the moof
        // complete, the mdat not yet there) reads the moof's samples, all of them.
        const Bytes a(50, 1);
        const auto bytes = mp4::fragment(1, {{1, 0, {{33, 0, true, a}, {33, 0, false, a}}}});
        int boundaries = 0;
        for (const auto& input : {bytes, handMadeMoof()}) {
            const auto full = mp4::readFragmentSamples(input);
            QVERIFY(full.has_value());
            for (std::size_t n = 1; n < input.size(); ++n) {
                auto samples = mp4::readFragmentSamples(std::span(input).first(n));
                if (samples.has_value()) {
                    ++boundaries;
                    QVERIFY2(samples->size() == full->size(),
                             qPrintable(QString("prefix %1").arg(n)));
                }
            }
        }
        QCOMPARE(boundaries, 2);                           // each input: right after its moof
        QVERIFY(mp4::readFragmentSamples({}).has_value()); // nothing: no samples
    }

    void malformedBoxesAreNamed_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("message");
        Bytes trunBig;
        u32(trunBig, 0x00000100); // sample-duration
        u32(trunBig, 10);         // sample_count beyond the box
        Bytes tfhd;
        u32(tfhd, 0);
        u32(tfhd, 1);
        Bytes tfdt;
        u32(tfdt, 0);
        u32(tfdt, 0);
        auto big = box(
            "moof", box("traf", cat({box("tfhd", tfhd), box("tfdt", tfdt), box("trun", trunBig)})));
        QTest::newRow("trun count")
            << QByteArray(reinterpret_cast<const char*>(big.data()), qsizetype(big.size()))
            << "trun: 10 samples need 40 bytes, 0 left";
        Bytes trunEmpty;
        u32(trunEmpty, 0);          // no per-sample fields: 8 bytes could claim any count
        u32(trunEmpty, 0xffffffff); // sample_count
        auto claims =
            box("moof",
                box("traf", cat({box("tfhd", tfhd), box("tfdt", tfdt), box("trun", trunEmpty)})));
        QTest::newRow("trun claims more samples than bytes")
            << QByteArray(reinterpret_cast<const char*>(claims.data()), qsizetype(claims.size()))
            << "trun: 4294967295 samples claimed, more than the input's 64 bytes can hold";
        auto noTfdt = box("moof", box("traf", cat({box("tfhd", tfhd), box("trun", trunBig)})));
        QTest::newRow("trun before tfdt")
            << QByteArray(reinterpret_cast<const char*>(noTfdt.data()), qsizetype(noTfdt.size()))
            << "trun: before tfhd and tfdt";
        Bytes tooLong;
        u32(tooLong, 100);
        tooLong.insert(tooLong.end(), {'m', 'o', 'o', 'f'});
        QTest::newRow("box too long")
            << QByteArray(reinterpret_cast<const char*>(tooLong.data()), qsizetype(tooLong.size()))
            << "moof: size 100 does not fit the 8 bytes left";
        Bytes tooShort;
        u32(tooShort, 4);
        tooShort.insert(tooShort.end(), {'m', 'd', 'a', 't'});
        QTest::newRow("size below header")
            << QByteArray(reinterpret_cast<const char*>(tooShort.data()),
                          qsizetype(tooShort.size()))
            << "mdat: size 4 does not fit";
    }
    void malformedBoxesAreNamed() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, message);
        auto samples = mp4::readFragmentSamples(std::span(
            reinterpret_cast<const std::uint8_t*>(bytes.constData()), std::size_t(bytes.size())));
        QVERIFY(!samples.has_value());
        const auto text = QString::fromStdString(samples.error().message());
        QVERIFY2(text.contains(message), qPrintable(text));
    }
};

QTEST_APPLESS_MAIN(tst_FragmentReader)
#include "tst_FragmentReader.moc"
