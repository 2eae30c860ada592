// TsDemuxer against real encoder output: ffmpeg writes MPEG-TS with libx264/libx265 + AAC,
// the demuxer's packets are checked against ffprobe's view of the same file, and the FLV
// bodies are proven by letting ffmpeg decode what they rebuild (an FLV file for H.264, an
// Annex B elementary stream for both codecs: ffmpeg 5.1 cannot read Enhanced RTMP FLV).

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

#include "DemuxTestSupport.h"
#include "protocol/codec/CodecConfig.h"
#include "protocol/flv/Flv.h"

using namespace stagecast::protocol;
using namespace stagecast::test;
using Kind = mpegts::DemuxedPacket::Kind;

namespace {

struct ProcessResult {
    bool finished = false;
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

ProcessResult run(const QString& program, const QStringList& args, int timeoutMs = 180000) {
    QProcess p;
    p.start(program, args);
    ProcessResult r;
    if (!p.waitForStarted(10000)) {
        r.err = program.toUtf8() + " did not start";
        return r;
    }
    r.finished = p.waitForFinished(timeoutMs);
    if (!r.finished) {
        p.kill();
        p.waitForFinished();
    }
    r.exitCode = p.exitCode();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

struct ProbePacket {
    Kind kind = Kind::Video;
    qint64 pts = 0; // 90 kHz
    qint64 dts = 0;
    bool keyframe = false;
};

QList<ProbePacket> probePackets(const QString& file) {
    const auto r = run("ffprobe", {"-v", "error", "-show_entries",
                                   "packet=codec_type,pts,dts,flags", "-of", "json", file});
    QList<ProbePacket> list;
    const auto packets = QJsonDocument::fromJson(r.out).object().value("packets").toArray();
    for (const auto& v : packets) {
        const auto o = v.toObject();
        ProbePacket p;
        p.kind = o.value("codec_type").toString() == "video" ? Kind::Video : Kind::Audio;
        p.pts = o.value("pts").toInteger();
        p.dts = o.value("dts").toInteger();
        p.keyframe = o.value("flags").toString().startsWith('K');
        list.append(p);
    }
    return list;
}

QList<mpegts::DemuxedPacket> framesOf(const std::vector<mpegts::DemuxedPacket>& all, Kind kind) {
    QList<mpegts::DemuxedPacket> list;
    for (const auto& p : all) {
        if (p.kind == kind && !p.config) {
            list.append(p);
        }
    }
    return list;
}

/// The video configs and frames turned back into Annex B: parameter sets from the record in
/// front of every keyframe, 4-byte start codes.
QByteArray toAnnexB(const std::vector<mpegts::DemuxedPacket>& packets) {
    QByteArray out;
    QByteArray parameterSets;
    const QByteArray startCode = QByteArray::fromHex("00000001");
    for (const auto& p : packets) {
        if (p.kind != Kind::Video) {
            continue;
        }
        auto info = flv::parseVideoTag(p.flvBody);
        if (!info) {
            return {};
        }
        const auto payload = std::span(p.flvBody).subspan(info->payloadOffset);
        if (p.config) {
            // Both records end in arrays of (16-bit length, NAL); find where they start.
            const bool hevc = info->codec == flv::VideoCodec::Hevc;
            parameterSets.clear();
            std::size_t pos = hevc ? 23 : 5;
            const int arrays = hevc ? payload[22] : 2;
            for (int a = 0; a < arrays; ++a) {
                std::size_t count = 0;
                if (hevc) {
                    count = std::size_t{payload[pos + 1]} << 8 | payload[pos + 2];
                    pos += 3;
                } else {
                    count = a == 0 ? payload[pos] & 0x1FU : payload[pos];
                    pos += 1;
                }
                for (std::size_t i = 0; i < count; ++i) {
                    const std::size_t length = std::size_t{payload[pos]} << 8 | payload[pos + 1];
                    parameterSets += startCode + qb(payload.subspan(pos + 2, length));
                    pos += 2 + length;
                }
            }
            continue;
        }
        if (p.keyframe) {
            out += parameterSets;
        }
        for (std::size_t pos = 0; pos + 4 <= payload.size();) {
            const std::size_t length = std::size_t{payload[pos]} << 24 |
                                       std::size_t{payload[pos + 1]} << 16 |
                                       std::size_t{payload[pos + 2]} << 8 | payload[pos + 3];
            out += startCode + qb(payload.subspan(pos + 4, length));
            pos += 4 + length;
        }
    }
    return out;
}

QByteArray toFlv(const std::vector<mpegts::DemuxedPacket>& packets) {
    const auto header = flv::fileHeader(true, true);
    QByteArray out = qb(header);
    std::int64_t base = packets.empty() ? 0 : packets.front().dtsMs;
    for (const auto& p : packets) {
        base = std::min(base, p.dtsMs);
    }
    for (const auto& p : packets) {
        std::uint8_t tagHeader[flv::kTagHeaderSize];
        const auto size = static_cast<std::uint32_t>(p.flvBody.size());
        flv::writeTagHeader(tagHeader,
                            p.kind == Kind::Video ? flv::TagType::Video : flv::TagType::Audio, size,
                            static_cast<std::uint32_t>(p.dtsMs - base));
        out += qb(tagHeader);
        out += qb(p.flvBody);
        std::uint8_t previous[4];
        flv::writePreviousTagSize(previous, size);
        out += qb(previous);
    }
    return out;
}

/// Frames per stream index in `ffmpeg -f framecrc` output.
QMap<int, int> countFrames(const QByteArray& framecrc) {
    QMap<int, int> counts;
    for (const auto& line : framecrc.split('\n')) {
        if (line.isEmpty() || line.startsWith('#')) {
            continue;
        }
        counts[line.split(',').first().trimmed().toInt()]++;
    }
    return counts;
}

} // namespace

class tst_TsDemuxerReal : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void matchesFfprobe_data();
    void matchesFfprobe();
    void configsDescribeTheStream_data();
    void configsDescribeTheStream();
    void everyBodyParses_data();
    void everyBodyParses();
    void annexBRebuildDecodes_data();
    void annexBRebuildDecodes();
    void flvFileDecodes();
    void splitAtEveryByte_data();
    void splitAtEveryByte();
    void droppedTsPacket();
    void garbageBetweenPackets();
    void garbageInsidePacket();
    void truncatedAudioPes();

private:
    QByteArray stream(const QString& name) const { return streams_.value(name); }

    QTemporaryDir dir_;
    QMap<QString, QByteArray> streams_;
};

void tst_TsDemuxerReal::initTestCase() {
    QVERIFY(dir_.isValid());
    const QList<std::pair<QString, QStringList>> encoders = {
        {"h264", {"-c:v", "libx264"}},
        {"hevc", {"-c:v", "libx265", "-x265-params", "log-level=error"}},
    };
    for (const auto& [name, codecArgs] : encoders) {
        const QString file = dir_.filePath(name + ".ts");
        QStringList args = {"-v",
                            "error",
                            "-y",
                            "-f",
                            "lavfi",
                            "-i",
                            "testsrc2=size=320x240:rate=25",
                            "-f",
                            "lavfi",
                            "-i",
                            "sine=sample_rate=48000",
                            "-t",
                            "2"};
        args << codecArgs << "-g"
             << "25"
             << "-bf"
             << "2"
             << "-c:a"
             << "aac"
             << "-f"
             << "mpegts" << file;
        const auto r = run("ffmpeg", args);
        QVERIFY2(r.finished && r.exitCode == 0, r.err.constData());
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        streams_[name] = f.readAll();
        QVERIFY(streams_[name].size() > 20000);
    }
}

void tst_TsDemuxerReal::matchesFfprobe_data() {
    QTest::addColumn<QString>("name");
    QTest::newRow("h264 + aac") << "h264";
    QTest::newRow("hevc + aac") << "hevc";
}

void tst_TsDemuxerReal::matchesFfprobe() {
    QFETCH(QString, name);
    // 1316 bytes = 7 TS packets, the usual SRT payload.
    const auto result = demuxAll(view(stream(name)), 1316);
    QVERIFY(result.ok);
    QCOMPARE(result.stats.ccErrors, 0U);
    QCOMPARE(result.stats.resyncBytes, 0U);
    QCOMPARE(result.stats.crcErrors, 0U);
    QCOMPARE(result.stats.droppedPes, 0U);
    QCOMPARE(result.stats.droppedFrames, 0U);
    QCOMPARE(result.stats.packets, static_cast<std::uint64_t>(stream(name).size() / 188));

    const auto probe = probePackets(dir_.filePath(name + ".ts"));
    for (const Kind kind : {Kind::Video, Kind::Audio}) {
        QList<ProbePacket> expected;
        for (const auto& p : probe) {
            if (p.kind == kind) {
                expected.append(p);
            }
        }
        const auto got = framesOf(result.packets, kind);
        QCOMPARE(got.size(), expected.size());
        QCOMPARE(got.size(), kind == Kind::Video ? 50 : 95);
        for (qsizetype i = 0; i < got.size(); ++i) {
            const double dtsMs = static_cast<double>(expected[i].dts) / 90.0;
            const double ptsMs = static_cast<double>(expected[i].pts) / 90.0;
            const auto message = QString("%1 packet %2: dts %3 pts %4, expected %5 %6")
                                     .arg(kind == Kind::Video ? "video" : "audio")
                                     .arg(i)
                                     .arg(got[i].dtsMs)
                                     .arg(got[i].dtsMs + got[i].ctsMs)
                                     .arg(dtsMs)
                                     .arg(ptsMs)
                                     .toUtf8();
            QVERIFY2(std::abs(static_cast<double>(got[i].dtsMs) - dtsMs) < 1.0, message);
            QVERIFY2(std::abs(static_cast<double>(got[i].dtsMs + got[i].ctsMs) - ptsMs) < 1.0,
                     message);
            if (kind == Kind::Video) {
                QVERIFY2(got[i].keyframe == expected[i].keyframe, message);
            }
        }
    }
    // Decode order across tracks.
    for (std::size_t i = 1; i < result.packets.size(); ++i) {
        QVERIFY(result.packets[i].dtsMs >= result.packets[i - 1].dtsMs);
    }
}

void tst_TsDemuxerReal::configsDescribeTheStream_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("codec");
    QTest::addColumn<QString>("profile");
    QTest::newRow("h264") << "h264"
                          << "h264"
                          << "High";
    QTest::newRow("hevc") << "hevc"
                          << "hevc"
                          << "Main";
}

void tst_TsDemuxerReal::configsDescribeTheStream() {
    QFETCH(QString, name);
    QFETCH(QString, codec);
    QFETCH(QString, profile);
    const auto result = demuxAll(view(stream(name)));
    int videoConfigs = 0;
    int audioConfigs = 0;
    bool videoConfigFirst = false;
    bool audioConfigFirst = false;
    for (const auto& p : result.packets) {
        if (p.kind == Kind::Video) {
            if (videoConfigs == 0 && p.config) {
                videoConfigFirst = true;
            }
            if (!p.config) {
                QVERIFY(videoConfigFirst);
                continue;
            }
            ++videoConfigs;
            auto info = flv::parseVideoTag(p.flvBody);
            QVERIFY2(info, info ? "" : info.error().message().c_str());
            QCOMPARE(info->kind, flv::VideoPacketKind::SequenceHeader);
            const auto record = std::span(p.flvBody).subspan(info->payloadOffset);
            auto parsed =
                codec == "h264" ? codec::parseAvcConfig(record) : codec::parseHevcConfig(record);
            QVERIFY2(parsed, parsed ? "" : parsed.error().message().c_str());
            QCOMPARE(QString::fromStdString(parsed->codec), codec);
            QCOMPARE(QString::fromStdString(parsed->profile), profile);
            QCOMPARE(parsed->width, 320U);
            QCOMPARE(parsed->height, 240U);
            QCOMPARE(parsed->frameRate, 25.0);
        } else {
            if (audioConfigs == 0 && p.config) {
                audioConfigFirst = true;
            }
            if (!p.config) {
                QVERIFY(audioConfigFirst);
                continue;
            }
            ++audioConfigs;
            auto info = flv::parseAudioTag(p.flvBody);
            QVERIFY(info);
            QVERIFY(info->sequenceHeader);
            auto asc = codec::parseAacConfig(std::span(p.flvBody).subspan(info->payloadOffset));
            QVERIFY2(asc, asc ? "" : asc.error().message().c_str());
            QCOMPARE(QString::fromStdString(asc->profile), QString("LC"));
            QCOMPARE(asc->sampleRate, 48000U);
            QCOMPARE(asc->channels, 1U);
        }
    }
    // Parameter sets repeat with every keyframe but do not change: one config each.
    QCOMPARE(videoConfigs, 1);
    QCOMPARE(audioConfigs, 1);
}

void tst_TsDemuxerReal::everyBodyParses_data() {
    matchesFfprobe_data();
}

void tst_TsDemuxerReal::everyBodyParses() {
    QFETCH(QString, name);
    const auto result = demuxAll(view(stream(name)));
    QVERIFY(!result.packets.empty());
    for (const auto& p : result.packets) {
        if (p.kind == Kind::Video) {
            auto info = flv::parseVideoTag(p.flvBody);
            QVERIFY2(info, info ? "" : info.error().message().c_str());
            QCOMPARE(info->codec, name == "h264" ? flv::VideoCodec::H264 : flv::VideoCodec::Hevc);
            QCOMPARE(info->enhanced, name == "hevc");
            QCOMPARE(info->kind, p.config ? flv::VideoPacketKind::SequenceHeader
                                          : flv::VideoPacketKind::CodedFrames);
            QCOMPARE(info->keyframe, p.keyframe || p.config);
            QCOMPARE(info->compositionTime, p.ctsMs);
            QVERIFY(info->payloadOffset < p.flvBody.size());
        } else {
            auto info = flv::parseAudioTag(p.flvBody);
            QVERIFY2(info, info ? "" : info.error().message().c_str());
            QCOMPARE(info->codec, flv::AudioCodec::Aac);
            QCOMPARE(info->sequenceHeader, p.config);
            QCOMPARE(p.flvBody[0], std::uint8_t{0xAF});
            QCOMPARE(p.ctsMs, 0);
        }
    }
}

void tst_TsDemuxerReal::annexBRebuildDecodes_data() {
    matchesFfprobe_data();
}

void tst_TsDemuxerReal::annexBRebuildDecodes() {
    QFETCH(QString, name);
    const auto result = demuxAll(view(stream(name)));
    const QByteArray annexB = toAnnexB(result.packets);
    QVERIFY(!annexB.isEmpty());
    const QString file = dir_.filePath(name + "-rebuilt." + name);
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(annexB);
    f.close();
    const auto r = run("ffmpeg", {"-v", "error", "-f", name, "-i", file, "-f", "framecrc", "-"});
    QVERIFY(r.finished);
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(QString::fromUtf8(r.err), QString());
    QCOMPARE(countFrames(r.out).value(0), 50);
}

void tst_TsDemuxerReal::flvFileDecodes() {
    const auto result = demuxAll(view(stream("h264")));
    const QString file = dir_.filePath("h264.flv");
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(toFlv(result.packets));
    f.close();
    const auto r = run("ffmpeg", {"-v", "error", "-i", file, "-f", "framecrc", "-"});
    QVERIFY(r.finished);
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(QString::fromUtf8(r.err), QString());
    const auto frames = countFrames(r.out);
    // The FLV demuxer sees the video first (the first tag): stream 0 video, 1 audio.
    QCOMPARE(frames.value(0), 50);
    QCOMPARE(frames.value(1), 95);
}

void tst_TsDemuxerReal::splitAtEveryByte_data() {
    matchesFfprobe_data();
}

void tst_TsDemuxerReal::splitAtEveryByte() {
    QFETCH(QString, name);
    const auto head = view(stream(name)).first(20 * 1024);
    const auto whole = demuxAll(head);
    const auto bytewise = demuxAll(head, 1);
    QVERIFY(whole.packets.size() > 3); // configs and frames
    QCOMPARE(bytewise.packets.size(), whole.packets.size());
    for (std::size_t i = 0; i < whole.packets.size(); ++i) {
        const auto& a = whole.packets[i];
        const auto& b = bytewise.packets[i];
        QCOMPARE(b.kind, a.kind);
        QCOMPARE(b.dtsMs, a.dtsMs);
        QCOMPARE(b.ctsMs, a.ctsMs);
        QCOMPARE(b.keyframe, a.keyframe);
        QCOMPARE(b.config, a.config);
        QVERIFY(b.flvBody == a.flvBody);
    }
    QCOMPARE(bytewise.stats.packets, whole.stats.packets);
    QCOMPARE(bytewise.stats.resyncBytes, 0U);
}

// Index (in packets) of the `nth` TS packet on `pid` that, like the packet after it, has no
// payload_unit_start_indicator: both are in the middle of one PES.
static qsizetype findContinuationPacket(const QByteArray& ts, std::uint16_t pid, int nth) {
    const auto v = view(ts);
    const auto continues = [&](std::size_t i) {
        const auto packetPid = static_cast<std::uint16_t>(((v[i + 1] & 0x1F) << 8) | v[i + 2]);
        return packetPid == pid && (v[i + 1] & 0x40) == 0;
    };
    for (std::size_t i = 0; i + 2 * 188 <= v.size(); i += 188) {
        if (continues(i) && continues(i + 188) && nth-- == 0) {
            return static_cast<qsizetype>(i / 188);
        }
    }
    return -1;
}

void tst_TsDemuxerReal::droppedTsPacket() {
    // ffmpeg's mpegts muxer puts the first video stream on PID 0x100, audio on 0x101.
    QByteArray ts = stream("h264");
    const qsizetype index = findContinuationPacket(ts, 0x100, 40);
    QVERIFY(index > 0);
    ts.remove(index * 188, 188);
    const auto result = demuxAll(view(ts), 1316);
    QVERIFY(result.ok);
    QCOMPARE(result.stats.ccErrors, 1U);
    QCOMPARE(result.stats.droppedPes, 1U);
    // One access unit lost; the stream goes on to the end, and audio is untouched.
    QCOMPARE(framesOf(result.packets, Kind::Video).size(), 49);
    QCOMPARE(framesOf(result.packets, Kind::Audio).size(), 95);
    const auto reference = framesOf(demuxAll(view(stream("h264"))).packets, Kind::Video);
    QCOMPARE(framesOf(result.packets, Kind::Video).last().dtsMs, reference.last().dtsMs);
}

void tst_TsDemuxerReal::garbageBetweenPackets() {
    QByteArray ts = stream("h264");
    // 1000 bytes that contain sync bytes, none of them 188 bytes before another.
    QByteArray garbage;
    for (int i = 0; i < 1000; ++i) {
        const int noise = (i * 37) & 0xFF;
        garbage.append(static_cast<char>(i % 50 == 25 ? 0x47 : noise == 0x47 ? 0 : noise));
    }
    ts.insert(100 * 188, garbage);
    const auto result = demuxAll(view(ts), 1316);
    const auto reference = demuxAll(view(stream("h264")), 1316);
    QVERIFY(result.ok);
    QCOMPARE(result.stats.resyncBytes, 1000U);
    QCOMPARE(result.stats.ccErrors, 0U);
    QCOMPARE(result.packets.size(), reference.packets.size());
    for (std::size_t i = 0; i < result.packets.size(); ++i) {
        QVERIFY(result.packets[i].flvBody == reference.packets[i].flvBody);
    }
}

void tst_TsDemuxerReal::garbageInsidePacket() {
    // Half a packet lost and replaced by noise: sync is lost, found again, and the PID that
    // lost the packet shows a continuity gap.
    QByteArray ts = stream("h264");
    const qsizetype index = findContinuationPacket(ts, 0x100, 60);
    QVERIFY(index > 0);
    ts.replace(index * 188 + 90, 98, QByteArray(50, '\x55'));
    const auto result = demuxAll(view(ts), 1316);
    QVERIFY(result.ok);
    QCOMPARE(result.stats.resyncBytes, 90U + 50U);
    QCOMPARE(result.stats.ccErrors, 1U);
    QCOMPARE(result.stats.droppedPes, 1U);
    QCOMPARE(framesOf(result.packets, Kind::Video).size(), 49);
    QCOMPARE(framesOf(result.packets, Kind::Audio).size(), 95);
}

void tst_TsDemuxerReal::truncatedAudioPes() {
    // Cut the stream after the first packet of the last audio PES that spans packets.
    QByteArray ts = stream("h264");
    const auto v = view(ts);
    qsizetype cut = -1;
    for (std::size_t i = 0; i + 2 * 188 <= v.size(); i += 188) {
        const bool audioStart = ((v[i + 1] & 0x1F) << 8 | v[i + 2]) == 0x101 && (v[i + 1] & 0x40);
        const bool nextContinues =
            ((v[i + 189] & 0x1F) << 8 | v[i + 190]) == 0x101 && (v[i + 189] & 0x40) == 0;
        if (audioStart && nextContinues) {
            cut = static_cast<qsizetype>(i + 188);
        }
    }
    QVERIFY(cut > 0);
    ts.truncate(cut);
    const auto result = demuxAll(view(ts));
    QVERIFY(result.ok);
    QCOMPARE(result.stats.droppedPes, 1U);
    QVERIFY(framesOf(result.packets, Kind::Audio).size() < 95);
    QVERIFY(framesOf(result.packets, Kind::Audio).size() > 80);
}

QTEST_APPLESS_MAIN(tst_TsDemuxerReal)
#include "tst_TsDemuxerReal.moc"
