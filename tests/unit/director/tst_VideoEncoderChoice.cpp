// Which libobs H.264 encoder the program gets for director.video_encoder: families map to
// OBS Studio's ids (newest first), "auto" prefers hardware, and anything not offered on this
// machine falls back to x264 with a note naming what was asked for and what is there.

#include <QtTest>

#include "director/VideoEncoderChoice.h"

using namespace stagecast::director;

class tst_VideoEncoderChoice : public QObject {
    Q_OBJECT

private slots:
    void x264IsX264() {
        const auto c = chooseVideoEncoder("x264", {"obs_x264", "ffmpeg_vaapi"});
        QCOMPARE(c.id, std::string("obs_x264"));
        QVERIFY(c.note.empty());
    }

    void familyTakesItsNewestEncoder() {
        const auto c = chooseVideoEncoder("nvenc", {"obs_x264", "ffmpeg_nvenc", "jim_nvenc"});
        QCOMPARE(c.id, std::string("jim_nvenc"));
        QVERIFY(c.note.empty());
        QCOMPARE(chooseVideoEncoder("vaapi", {"obs_x264", "ffmpeg_vaapi"}).id,
                 std::string("ffmpeg_vaapi"));
    }

    void missingHardwareFallsBackToX264WithANote() {
        const auto c = chooseVideoEncoder("nvenc", {"obs_x264", "ffmpeg_vaapi"});
        QCOMPARE(c.id, std::string("obs_x264"));
        QCOMPARE(c.note, std::string("video_encoder 'nvenc' is not offered by libobs on this "
                                     "machine (H.264 encoders: obs_x264, ffmpeg_vaapi); the "
                                     "program uses x264"));
    }

    void autoPrefersHardware() {
        QCOMPARE(chooseVideoEncoder("auto", {"obs_x264", "ffmpeg_vaapi", "obs_qsv11"}).id,
                 std::string("obs_qsv11"));
        const auto none = chooseVideoEncoder("auto", {"obs_x264"});
        QCOMPARE(none.id, std::string("obs_x264"));
        QVERIFY(none.note.empty()); // auto found no hardware: x264 is what auto means then
    }

    void rawIdIsUsedWhenOffered() {
        QCOMPARE(chooseVideoEncoder("ffmpeg_nvenc", {"obs_x264", "ffmpeg_nvenc"}).id,
                 std::string("ffmpeg_nvenc"));
        const auto c = chooseVideoEncoder("my_encoder", {"obs_x264"});
        QCOMPARE(c.id, std::string("obs_x264"));
        QVERIFY(c.note.find("'my_encoder'") != std::string::npos);
    }

    void nothingOfferedStillNamesX264() {
        const auto c = chooseVideoEncoder("amf", {});
        QCOMPARE(c.id, std::string("obs_x264"));
        QVERIFY(c.note.find("H.264 encoders: none") != std::string::npos);
    }

    void rateControlNames() {
        QCOMPARE(obsRateControl("cbr"), std::string("CBR"));
        QCOMPARE(obsRateControl("vbr"), std::string("VBR"));
    }
};

QTEST_GUILESS_MAIN(tst_VideoEncoderChoice)
#include "tst_VideoEncoderChoice.moc"
