// The transcoder's ladder logic: templates and their figures, the plan for a source (sizes,
// never upscaling), the keyframe grid, RFC 6381 codec strings, playlist bandwidths, rule
// patterns and name validation.

#include <QtTest>

#include "media/transcode/Ladder.h"
#include "media/transcode/TranscodeManager.h"

using namespace stagecast::media::transcode;
using namespace std::chrono_literals;

class tst_TranscodeLadder : public QObject {
    Q_OBJECT

private slots:
    void templatesHaveOperatorFigures() {
        const auto all = builtInTemplates();
        QCOMPARE(all.size(), std::size_t(4));
        const std::vector<std::tuple<std::string, unsigned, unsigned, std::string, int>> expected =
            {{"1080p", 1080, 5000, "high", 41},
             {"720p", 720, 3000, "high", 31},
             {"480p", 480, 1200, "main", 30},
             {"360p", 360, 700, "main", 30}};
        for (std::size_t i = 0; i < all.size(); ++i) {
            const auto& [name, height, kbps, profile, level] = expected[i];
            QCOMPARE(all[i].name, name);
            QCOMPARE(all[i].height, height);
            QCOMPARE(all[i].videoKbps, kbps);
            QCOMPARE(all[i].maxrateKbps, kbps);
            QCOMPARE(all[i].bufsizeKbps, 2 * kbps);
            QCOMPARE(all[i].profile, profile);
            QCOMPARE(all[i].level, level);
            QCOMPARE(all[i].audioKbps, 128u);
        }
    }

    void findTemplateNamesTheChoices() {
        QVERIFY(findTemplate("720p").has_value());
        const auto missing = findTemplate("240p");
        QVERIFY(!missing);
        QCOMPARE(missing.error().message(),
                 std::string("rendition '240p' is not a template: choose from 1080p, 720p, "
                             "480p, 360p"));
        const auto none = templatesOf({});
        QVERIFY(!none);
        QVERIFY(none.error().message().find("at least one") != std::string::npos);
        const auto some = templatesOf({"360p", "720p"});
        QVERIFY(some);
        QCOMPARE(some->at(0).name, std::string("360p"));
    }

    void plan_data() {
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        QTest::addColumn<QStringList>("requested");
        QTest::addColumn<QStringList>("planned"); // "720p=1280x720"
        QTest::addColumn<QStringList>("skipped");
        QTest::newRow("1080p source, whole ladder")
            << 1920 << 1080 << QStringList{"360p", "720p", "480p", "1080p"}
            << QStringList{"1080p=1920x1080", "720p=1280x720", "480p=854x480", "360p=640x360"}
            << QStringList{};
        QTest::newRow("720p source skips 1080p")
            << 1280 << 720 << QStringList{"1080p", "720p", "360p"}
            << QStringList{"720p=1280x720", "360p=640x360"} << QStringList{"1080p"};
        QTest::newRow("4:3 source keeps its shape")
            << 1440 << 1080 << QStringList{"720p", "480p"}
            << QStringList{"720p=960x720", "480p=640x480"} << QStringList{};
        QTest::newRow("odd width rounds to even")
            << 1366 << 768 << QStringList{"360p"} << QStringList{"360p=640x360"} << QStringList{};
        QTest::newRow("small source skips everything")
            << 320 << 240 << QStringList{"360p", "480p"} << QStringList{}
            << QStringList{"480p", "360p"};
        QTest::newRow("duplicates listed once") << 1920 << 1080 << QStringList{"360p", "360p"}
                                                << QStringList{"360p=640x360"} << QStringList{};
    }

    void plan() {
        QFETCH(int, width);
        QFETCH(int, height);
        QFETCH(QStringList, requested);
        QFETCH(QStringList, planned);
        QFETCH(QStringList, skipped);
        std::vector<std::string> names;
        for (const auto& n : requested) {
            names.push_back(n.toStdString());
        }
        const auto templates = templatesOf(names);
        QVERIFY(templates);
        const auto p = planLadder(width, height, *templates);
        QStringList gotPlanned;
        for (const auto& r : p.renditions) {
            gotPlanned << QString::fromStdString(r.tmpl.name) + "=" + QString::number(r.width) +
                              "x" + QString::number(r.height);
        }
        QStringList gotSkipped;
        for (const auto& s : p.skipped) {
            gotSkipped << QString::fromStdString(s.name);
            QVERIFY2(s.reason.find("never upscaled") != std::string::npos, s.reason.c_str());
        }
        gotSkipped.sort();
        skipped.sort();
        QCOMPARE(gotPlanned, planned);
        QCOMPARE(gotSkipped, skipped);
    }

    void skippedReasonNamesTheSource() {
        const auto p = planLadder(640, 360, std::vector{*findTemplate("720p")});
        QCOMPARE(p.skipped.size(), std::size_t(1));
        QCOMPARE(p.skipped[0].reason,
                 std::string("720p is above the source's 640x360: never upscaled"));
    }

    void grid() {
        QCOMPARE(gridIndex(0ms), 0);
        QCOMPARE(gridIndex(1999ms), 0);
        QCOMPARE(gridIndex(2000ms), 1);
        QCOMPARE(gridIndex(4033ms), 2);
        QCOMPARE(gridIndex(-1ms), -1);
        QCOMPARE(gridIndex(-2000ms), -1);
        QCOMPARE(gridIndex(-2001ms), -2);
        QCOMPARE(gridIndex(3000ms, 1000ms), 3);
    }

    void codecString() {
        // AVCDecoderConfigurationRecord: version 1, High (100), compat 0, level 3.1.
        const std::vector<std::uint8_t> high31 = {1, 100, 0, 31, 0xFF, 0xE1};
        QCOMPARE(avcCodecString(high31).value_or(""), std::string("avc1.64001f"));
        const std::vector<std::uint8_t> main30 = {1, 77, 0x40, 30};
        QCOMPARE(avcCodecString(main30).value_or(""), std::string("avc1.4d401e"));
        QVERIFY(!avcCodecString(std::vector<std::uint8_t>{1, 100}));
        QVERIFY(!avcCodecString(std::vector<std::uint8_t>{0, 100, 0, 31}));
    }

    void bandwidths() {
        const auto t720 = *findTemplate("720p");
        QCOMPARE(peakBandwidth(t720), std::uint64_t(3128000));
        QCOMPARE(averageBandwidth(t720), std::uint64_t(3128000));
        const auto t360 = *findTemplate("360p");
        QCOMPARE(peakBandwidth(t360), std::uint64_t(828000));
    }

    void patterns_data() {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("stream");
        QTest::addColumn<bool>("match");
        QTest::newRow("app wildcard") << "live/*"
                                      << "live/cam1" << true;
        QTest::newRow("other app") << "live/*"
                                   << "studio/cam1" << false;
        QTest::newRow("exact") << "live/keynote"
                               << "live/keynote" << true;
        QTest::newRow("exact differs") << "live/keynote"
                                       << "live/keynote2" << false;
        QTest::newRow("prefix in name") << "live/cam*"
                                        << "live/cam7" << true;
        QTest::newRow("star does not cross slash") << "*"
                                                   << "live/cam1" << false;
        QTest::newRow("both parts") << "*/*"
                                    << "a/b" << true;
        QTest::newRow("suffix") << "live/*_hd"
                                << "live/x_hd" << true;
    }

    void patterns() {
        QFETCH(QString, pattern);
        QFETCH(QString, stream);
        QFETCH(bool, match);
        QCOMPARE(matchesPattern(pattern.toStdString(), stream.toStdString()), match);
    }

    void modes() {
        QCOMPARE(parseRateMode("fixed").value_or(RateMode::Narrowband), RateMode::Fixed);
        QCOMPARE(parseRateMode("narrowband").value_or(RateMode::Fixed), RateMode::Narrowband);
        const auto bad = parseRateMode("crf");
        QVERIFY(!bad);
        QCOMPARE(bad.error().message(),
                 std::string("mode 'crf' is not known: choose fixed or narrowband"));
    }
};

QTEST_APPLESS_MAIN(tst_TranscodeLadder)
#include "tst_TranscodeLadder.moc"
