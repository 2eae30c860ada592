// The tone measures of tests/support/AudioLevels on sines made here: the level of a tone, and
// where it breaks (the clicks tst_ReadmeCommand listens for).
#include <QTest>
#include <cmath>

#include "AudioLevels.h"

using namespace stagecast::test;

namespace {

constexpr int kRate = 48000;

// `seconds` of a sine at `hz` peaking at `peak`, its phase counted from sample 0.
std::vector<float> sine(double hz, double seconds, double peak) {
    std::vector<float> s(static_cast<std::size_t>(seconds * kRate));
    for (std::size_t k = 0; k < s.size(); ++k) {
        s[k] =
            static_cast<float>(peak * std::sin(2.0 * M_PI * hz * static_cast<double>(k) / kRate));
    }
    return s;
}

} // namespace

class tst_AudioLevels : public QObject {
    Q_OBJECT
private slots:
    void toneLevelIsItsRms() {
        const auto s = sine(1000, 2.0, 0.1); // -20 dBFS peak, -23 dBFS RMS
        QVERIFY(std::abs(toneDb(s, 1000) - -23.0) < 0.1);
        QVERIFY(toneDb(s, 440) < -60.0);
    }

    void unbrokenToneHasNoBreak() {
        QVERIFY(toneBreaks(sine(1000, 5.0, 0.1), 1000).empty());
        QVERIFY(toneBreaks(sine(660, 5.0, 0.1), 660).empty()); // not whole cycles per block
    }

    // libobs' click: one 1024-sample tick missing from the middle of the tone.
    void droppedTickIsOneBreakWhereItHappens() {
        auto s = sine(1000, 5.0, 0.1);
        s.erase(s.begin() + 2 * kRate, s.begin() + 2 * kRate + 1024);
        const auto breaks = toneBreaks(s, 1000);
        QVERIFY2(!breaks.empty() && breaks.size() <= 2, qPrintable(QString::number(breaks.size())));
        QVERIFY(std::abs(static_cast<double>(breaks[0]) - 2.0 * kRate) <= kRate / 100.0);
    }

    void holeIsABreak() {
        auto s = sine(1000, 5.0, 0.1);
        std::fill(s.begin() + 3 * kRate, s.begin() + 3 * kRate + 960, 0.0F);
        const auto breaks = toneBreaks(s, 1000);
        QVERIFY(!breaks.empty());
        QVERIFY(std::abs(static_cast<double>(breaks[0]) - 3.0 * kRate) <= kRate / 100.0);
    }

    void breaksBeforeFromAreNotCounted() {
        auto s = sine(1000, 5.0, 0.1);
        s.erase(s.begin() + kRate / 2, s.begin() + kRate / 2 + 1024);
        QVERIFY(!toneBreaks(s, 1000).empty());
        QVERIFY(toneBreaks(s, 1000, kRate).empty());
    }
};

QTEST_APPLESS_MAIN(tst_AudioLevels)
#include "tst_AudioLevels.moc"
