// The recording file-name template and the recording options' validation.

#include <QtTest>

#include "media/record/FileNameTemplate.h"
#include "media/record/RecordingOptions.h"

using namespace stagecast::media::record;
using namespace std::chrono_literals;

namespace {

// 2024-03-05 06:07:08 UTC
const auto kTime = std::chrono::system_clock::time_point(1709618828s);

} // namespace

class tst_FileNameTemplate : public QObject {
    Q_OBJECT

private slots:
    void renders_data() {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("app");
        QTest::addColumn<QString>("stream");
        QTest::addColumn<QString>("expected");
        QTest::newRow("default") << "{app}_{stream}_{time}"
                                 << "live"
                                 << "cam1"
                                 << "live_cam1_20240305-060708";
        QTest::newRow("sequence and literals") << "rec-{seq}.{stream}"
                                               << "live"
                                               << "cam1"
                                               << "rec-3.cam1";
        QTest::newRow("slashes and dots in values") << "{app}_{stream}"
                                                    << "../etc"
                                                    << "a/../b"
                                                    << "_._etc_a_.._b";
        QTest::newRow("leading dot from a value") << "{stream}"
                                                  << "live"
                                                  << "..hidden"
                                                  << "_.hidden";
        QTest::newRow("spaces and non-ascii") << "{stream}"
                                              << "live"
                                              << "caf\u00e9 1"
                                              << "caf___1";
        QTest::newRow("empty value") << "{stream}"
                                     << "live"
                                     << ""
                                     << "_";
    }

    void renders() {
        QFETCH(QString, pattern);
        QFETCH(QString, app);
        QFETCH(QString, stream);
        QFETCH(QString, expected);
        auto parsed = FileNameTemplate::parse(pattern.toStdString());
        QVERIFY2(parsed, parsed ? "" : parsed.error().message().c_str());
        const auto name = parsed->render(
            {.app = app.toStdString(), .stream = stream.toStdString(), .time = kTime, .seq = 3});
        QCOMPARE(QString::fromStdString(name), expected);
        QVERIFY(name.find('/') == std::string::npos);
        QVERIFY(name.front() != '.');
    }

    void rejects_data() {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("empty") << ""
                               << "empty";
        QTest::newRow("slash") << "{app}/{stream}"
                               << "'/'";
        QTest::newRow("parent folder") << "../x"
                                       << "'/'";
        QTest::newRow("unknown placeholder") << "{app}_{date}"
                                             << "{date}";
        QTest::newRow("unclosed") << "{app"
                                  << "unclosed";
        QTest::newRow("leading dot") << ".{app}"
                                     << "'.'";
        QTest::newRow("space") << "{app} {stream}"
                               << "' '";
    }

    void rejects() {
        QFETCH(QString, pattern);
        QFETCH(QString, mentions);
        auto parsed = FileNameTemplate::parse(pattern.toStdString());
        QVERIFY(!parsed);
        const auto message = QString::fromStdString(parsed.error().message());
        QVERIFY2(message.contains(mentions), qPrintable(message));
    }

    void utcStampIsUtc() {
        QCOMPARE(QString::fromStdString(utcStamp(kTime)), QString("20240305-060708"));
    }

    void optionsValidate() {
        RecordingOptions options;
        QVERIFY(!options.validate()); // no folder
        options.folder = "/tmp/rec";
        QVERIFY(options.validate());
        options.fileTemplate = "{nope}";
        QVERIFY(!options.validate());
        options.fileTemplate = "{app}";
        options.maxDuration = 10ms;
        auto bad = options.validate();
        QVERIFY(!bad);
        QVERIFY(bad.error().message().find("1000 ms") != std::string::npos);
        options.maxDuration = 0ms;
        options.fragmentDuration = 0ms;
        QVERIFY(!options.validate());
    }

    void containersParse() {
        QCOMPARE(*parseContainer("mp4"), Container::FragmentedMp4);
        QCOMPARE(*parseContainer("ts"), Container::MpegTs);
        QCOMPARE(*parseContainer("flv"), Container::Flv);
        auto bad = parseContainer("mkv");
        QVERIFY(!bad);
        QVERIFY(bad.error().message().find("mp4, ts or flv") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(tst_FileNameTemplate)
#include "tst_FileNameTemplate.moc"
