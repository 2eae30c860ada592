// TsMuxer against real streams, judged by FFmpeg: FLV files written by ffmpeg 5.1 (libx264 Main
// 160x120 @ 10 fps with B-frames + AAC LC 22.05 kHz mono: 0.5 s, and 2 s with keyframes every
// second) and a raw HEVC stream (libx265 160x120 @ 10 fps, keyframes every 5 frames) wrapped in
// Enhanced RTMP tag bodies. Each is muxed into a .ts in a temporary directory, then
//   ffprobe -v error -show_packets -show_streams -of json   must list the same codecs, size,
//     packet count and timestamps (FLV milliseconds x 90) with nothing on stderr, and
//   ffmpeg -v error -i out.ts -f null -                      must decode it without a word.
// HLS-style segments cut at keyframes must decode on their own (parameter sets repeated).
//
// The two newer fixtures were made with ffmpeg 5.1:
//   ffmpeg -f lavfi -i testsrc2=size=160x120:rate=10 -f lavfi -i sine=frequency=440:
//     sample_rate=22050 -t 2 -c:v libx264 -profile:v main -preset veryfast -g 10 -bf 2
//     -pix_fmt yuv420p -c:a aac -b:a 24k -ac 1 -map_metadata -1 -fflags +bitexact
//     -flags:v +bitexact -flags:a +bitexact flv_h264_aac_160x120_2s.flv
//   ffmpeg -f lavfi -i testsrc2=size=160x120:rate=10 -t 1 -c:v libx265 -preset veryfast
//     -x265-params bframes=0:keyint=5:min-keyint=5:scenecut=0:info=0 -pix_fmt yuv420p
//     -f hevc hevc_160x120_10f.hevc

#include <QtTest>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <span>
#include <vector>

#include "protocol/flv/Flv.h"
#include "protocol/mpegts/TsMuxer.h"

using namespace stagecast::protocol;

namespace {

std::span<const std::uint8_t> view(const QByteArray& b) {
    return {reinterpret_cast<const std::uint8_t*>(b.constData()),
            static_cast<std::size_t>(b.size())};
}

QByteArray qb(const std::vector<std::uint8_t>& v) {
    return QByteArray(reinterpret_cast<const char*>(v.data()), static_cast<qsizetype>(v.size()));
}

QByteArray readFile(const QString& name) {
    QFile file(QStringLiteral(STAGECAST_TEST_DATA "/") + name);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

struct Expected {
    std::vector<qint64> videoPts;
    std::vector<qint64> videoDts;
    std::vector<bool> videoKey;
    std::vector<qint64> audioPts;
};

/// The muxed stream plus segments cut before every video keyframe (each starting with
/// PAT/PMT), the way an HLS segmenter drives the muxer.
struct Muxed {
    std::vector<std::uint8_t> whole;
    std::vector<std::vector<std::uint8_t>> segments;
    Expected expected;
    QString error;
};

class Driver {
public:
    void video(std::int64_t dts, const QByteArray& body) {
        const auto info = flv::parseVideoTag(view(body));
        if (!info) {
            fail(info.error().message());
            return;
        }
        if (info->kind == flv::VideoPacketKind::SequenceHeader) {
            check(mux_.setVideoConfig(view(body)));
            return;
        }
        if (info->kind != flv::VideoPacketKind::CodedFrames) {
            check(mux_.writeVideo(m_.whole, dts, view(body))); // must be ignored
            return;
        }
        if (info->keyframe || m_.segments.empty()) {
            m_.segments.emplace_back();
            mux_.writeTables(m_.segments.back());
        }
        write(
            [&](std::vector<std::uint8_t>& out) { return mux_.writeVideo(out, dts, view(body)); });
        m_.expected.videoPts.push_back((dts + info->compositionTime) * 90);
        m_.expected.videoDts.push_back(dts * 90);
        m_.expected.videoKey.push_back(info->keyframe);
    }

    void audio(std::int64_t dts, const QByteArray& body) {
        const auto info = flv::parseAudioTag(view(body));
        if (!info) {
            fail(info.error().message());
            return;
        }
        if (info->sequenceHeader) {
            check(mux_.setAudioConfig(view(body)));
            return;
        }
        if (m_.segments.empty()) {
            m_.segments.emplace_back();
            mux_.writeTables(m_.segments.back());
        }
        write(
            [&](std::vector<std::uint8_t>& out) { return mux_.writeAudio(out, dts, view(body)); });
        m_.expected.audioPts.push_back(dts * 90);
    }

    Muxed finish() {
        for (const auto& s : m_.segments) {
            m_.whole.insert(m_.whole.end(), s.begin(), s.end());
        }
        return std::move(m_);
    }

private:
    template <typename F>
    void write(F&& f) {
        check(f(m_.segments.back()));
    }
    void check(const stagecast::base::Status& s) {
        if (!s) {
            fail(s.error().message());
        }
    }
    void fail(const std::string& e) {
        if (m_.error.isEmpty()) {
            m_.error = QString::fromStdString(e);
        }
    }

    mpegts::TsMuxer mux_;
    Muxed m_;
};

Muxed muxFlv(const QByteArray& file) {
    flv::FlvReader reader;
    std::vector<flv::Tag> tags;
    Driver d;
    if (const auto s = reader.feed(view(file), tags); !s) {
        Muxed m;
        m.error = QString::fromStdString(s.error().message());
        return m;
    }
    for (const auto& tag : tags) {
        const QByteArray body = qb(tag.body);
        if (tag.type == flv::TagType::Video) {
            d.video(tag.timestampMs, body);
        } else if (tag.type == flv::TagType::Audio) {
            d.audio(tag.timestampMs, body);
        }
    }
    return d.finish();
}

// Annex B -> NAL units (without start codes).
std::vector<QByteArray> annexBUnits(const QByteArray& s) {
    std::vector<QByteArray> units;
    qsizetype start = -1;
    for (qsizetype i = 0; i + 3 <= s.size(); ++i) {
        if (s[i] == 0 && s[i + 1] == 0 && s[i + 2] == 1) {
            if (start >= 0) {
                qsizetype end = i;
                while (end > start && s[end - 1] == 0) {
                    --end; // the zero_byte of a 4-byte start code
                }
                units.push_back(s.mid(start, end - start));
            }
            start = i + 3;
            i += 2;
        }
    }
    if (start >= 0) {
        units.push_back(s.mid(start));
    }
    return units;
}

QByteArray be(quint32 v, int bytes) {
    QByteArray b;
    for (int i = bytes - 1; i >= 0; --i) {
        b.append(static_cast<char>((v >> (8 * i)) & 0xFF));
    }
    return b;
}

// A raw H.265 stream as Enhanced RTMP bodies: parameter sets only in the hvcC (stripped from
// the access units, so the muxer has to put them back), one access unit per VCL NAL unit.
Muxed muxHevc(const QByteArray& stream) {
    const auto units = annexBUnits(stream);
    QByteArray vps;
    QByteArray sps;
    QByteArray pps;
    std::vector<std::pair<bool, QByteArray>> frames; // keyframe, length-prefixed NAL units
    QByteArray pending;
    for (const QByteArray& u : units) {
        const int type = (static_cast<quint8>(u[0]) >> 1) & 0x3F;
        if (type == 32 || type == 33 || type == 34) {
            QByteArray& slot = type == 32 ? vps : type == 33 ? sps : pps;
            if (slot.isEmpty()) {
                slot = u;
            }
            continue;
        }
        pending += be(static_cast<quint32>(u.size()), 4) + u;
        if (type < 32) { // VCL: closes the access unit (one slice per picture here)
            frames.emplace_back(type >= 16 && type <= 23, pending);
            pending.clear();
        }
    }
    QByteArray hvcc = QByteArray::fromHex("01 01 60000000 900000000000 5a f000 fc fd f8 f8 0000"
                                          "0f" // lengthSizeMinusOne 3
                                          "03");
    const std::array<std::pair<int, const QByteArray*>, 3> arrays = {
        {{32, &vps}, {33, &sps}, {34, &pps}}};
    for (const auto& [type, nal] : arrays) {
        hvcc += static_cast<char>(0x80 | type);
        hvcc += be(1, 2) + be(static_cast<quint32>(nal->size()), 2) + *nal;
    }
    Driver d;
    d.video(0, QByteArray::fromHex("90 68766331") + hvcc);
    for (std::size_t i = 0; i < frames.size(); ++i) {
        const char header = static_cast<char>(frames[i].first ? 0x91 : 0xA1);
        d.video(static_cast<std::int64_t>(i) * 100,
                QByteArray(1, header) + QByteArray::fromHex("68766331 000000") + frames[i].second);
    }
    return d.finish();
}

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run run(const QString& program, const QStringList& args) {
    QProcess p;
    p.start(program, args);
    Run r;
    if (!p.waitForStarted(10000) || !p.waitForFinished(60000)) {
        r.err = "could not run " + program.toUtf8();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

} // namespace

class tst_TsMuxerFfprobe : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void flvToTs_data();
    void flvToTs();
    void hevcToTs();

private:
    void probe(const Muxed& muxed, const QString& videoCodec, int width, int height);
    QString write(const QString& name, const std::vector<std::uint8_t>& data);
    void decodeQuietly(const QString& path);

    QTemporaryDir dir_;
};

void tst_TsMuxerFfprobe::initTestCase() {
    QVERIFY(dir_.isValid());
    if (run("ffprobe", {"-version"}).exitCode != 0) {
        QFAIL("ffprobe not installed: scripts/deps.sh installs ffmpeg");
    }
}

QString tst_TsMuxerFfprobe::write(const QString& name, const std::vector<std::uint8_t>& data) {
    const QString path = dir_.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(qb(data)) != static_cast<qint64>(data.size())) {
        return {};
    }
    return path;
}

void tst_TsMuxerFfprobe::decodeQuietly(const QString& path) {
    const Run r = run("ffmpeg", {"-nostdin", "-v", "error", "-i", path, "-f", "null", "-"});
    QVERIFY2(r.err.isEmpty(), r.err.constData());
    QCOMPARE(r.exitCode, 0);
}

void tst_TsMuxerFfprobe::probe(const Muxed& muxed, const QString& videoCodec, int width,
                               int height) {
    const QString path = write("whole.ts", muxed.whole);
    QVERIFY(!path.isEmpty());
    const Run r =
        run("ffprobe", {"-v", "error", "-show_packets", "-show_streams", "-of", "json", path});
    QVERIFY2(r.err.isEmpty(), r.err.constData());
    QCOMPARE(r.exitCode, 0);
    const QJsonObject root = QJsonDocument::fromJson(r.out).object();

    QString video;
    QString audio;
    for (const auto& s : root["streams"].toArray()) {
        const QJsonObject o = s.toObject();
        if (o["codec_type"].toString() == "video") {
            video = o["codec_name"].toString();
            QCOMPARE(o["width"].toInt(), width);
            QCOMPARE(o["height"].toInt(), height);
        } else if (o["codec_type"].toString() == "audio") {
            audio = o["codec_name"].toString();
        }
    }
    QCOMPARE(video, videoCodec);
    QCOMPARE(audio, muxed.expected.audioPts.empty() ? QString() : QString("aac"));

    Expected got;
    for (const auto& p : root["packets"].toArray()) {
        const QJsonObject o = p.toObject();
        if (o["codec_type"].toString() == "video") {
            got.videoPts.push_back(o["pts"].toInteger(-1));
            got.videoDts.push_back(o["dts"].toInteger(-1));
            got.videoKey.push_back(o["flags"].toString().startsWith('K'));
        } else {
            got.audioPts.push_back(o["pts"].toInteger(-1));
        }
    }
    QCOMPARE(got.videoPts, muxed.expected.videoPts);
    QCOMPARE(got.videoDts, muxed.expected.videoDts);
    QCOMPARE(got.videoKey, muxed.expected.videoKey);
    QCOMPARE(got.audioPts, muxed.expected.audioPts);

    decodeQuietly(path);
    // Every segment but the first starts at a later keyframe and must stand alone.
    for (std::size_t i = 1; i < muxed.segments.size(); ++i) {
        const QString segment = write(QString("segment%1.ts").arg(i), muxed.segments[i]);
        QVERIFY(!segment.isEmpty());
        decodeQuietly(segment);
        const Run s = run("ffprobe", {"-v", "error", "-show_streams", "-of", "json", segment});
        QVERIFY2(s.err.isEmpty(), s.err.constData());
        const auto streams = QJsonDocument::fromJson(s.out).object()["streams"].toArray();
        QVERIFY(!streams.isEmpty());
        QCOMPARE(streams[0].toObject()["width"].toInt(), width);
    }
}

void tst_TsMuxerFfprobe::flvToTs_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("videoPackets");
    QTest::addColumn<int>("audioPackets");
    QTest::addColumn<int>("segments");
    QTest::newRow("0.5 s, one keyframe") << "flv_h264_aac_160x120.flv" << 5 << 12 << 1;
    QTest::newRow("2 s, keyframes at 0 and 1 s") << "flv_h264_aac_160x120_2s.flv" << 20 << 45 << 2;
}

void tst_TsMuxerFfprobe::flvToTs() {
    QFETCH(QString, file);
    QFETCH(int, videoPackets);
    QFETCH(int, audioPackets);
    QFETCH(int, segments);
    const QByteArray flvFile = readFile(file);
    QVERIFY(!flvFile.isEmpty());
    const Muxed muxed = muxFlv(flvFile);
    QVERIFY2(muxed.error.isEmpty(), qPrintable(muxed.error));
    QCOMPARE(muxed.expected.videoPts.size(), static_cast<std::size_t>(videoPackets));
    QCOMPARE(muxed.expected.audioPts.size(), static_cast<std::size_t>(audioPackets));
    QCOMPARE(muxed.segments.size(), static_cast<std::size_t>(segments));
    probe(muxed, "h264", 160, 120);
}

void tst_TsMuxerFfprobe::hevcToTs() {
    const QByteArray stream = readFile("hevc_160x120_10f.hevc");
    QVERIFY(!stream.isEmpty());
    const Muxed muxed = muxHevc(stream);
    QVERIFY2(muxed.error.isEmpty(), qPrintable(muxed.error));
    QCOMPARE(muxed.expected.videoPts.size(), std::size_t{10});
    QCOMPARE(muxed.segments.size(), std::size_t{2}); // CRA at frame 5
    probe(muxed, "hevc", 160, 120);
}

QTEST_APPLESS_MAIN(tst_TsMuxerFfprobe)
#include "tst_TsMuxerFfprobe.moc"
