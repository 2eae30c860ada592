// FlvReader against a real file written by ffmpeg 5.1 (tests/data/flv_h264_aac_160x120.flv:
// libx264 Main 160x120 @ 10 fps with B-frames, AAC LC 22.05 kHz mono, 0.5 s), fed whole,
// split at every byte and byte by byte; plus the header / PreviousTagSize / limit errors.

#include <QtTest>

#include <QFile>

#include <array>
#include <span>
#include <vector>

#include "protocol/codec/CodecConfig.h"
#include "protocol/flv/Flv.h"

using namespace stagecast::protocol::flv;

namespace {

std::span<const std::uint8_t> view(const QByteArray& b) {
    return {reinterpret_cast<const std::uint8_t*>(b.constData()),
            static_cast<std::size_t>(b.size())};
}

QByteArray fixture() {
    QFile file(QStringLiteral(STAGECAST_TEST_DATA "/flv_h264_aac_160x120.flv"));
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    return file.readAll();
}

struct ExpectedTag {
    TagType type;
    std::uint32_t timestampMs;
    std::uint32_t dataSize;
};

// The file's tags as listed by walking it with a separate script: type, timestamp, DataSize.
constexpr std::array<ExpectedTag, 21> kTags = {{
    {TagType::Script, 0, 268}, // onMetaData
    {TagType::Video, 0, 46},   // AVC sequence header
    {TagType::Audio, 0, 7},    // AAC sequence header
    {TagType::Video, 0, 1682},  {TagType::Video, 100, 408},
    {TagType::Audio, 154, 204}, {TagType::Video, 200, 221},
    {TagType::Audio, 200, 195}, {TagType::Audio, 246, 124},
    {TagType::Audio, 293, 131}, {TagType::Video, 300, 473},
    {TagType::Audio, 339, 128}, {TagType::Audio, 386, 149},
    {TagType::Video, 400, 241}, {TagType::Audio, 432, 178},
    {TagType::Audio, 479, 145}, {TagType::Audio, 525, 142},
    {TagType::Audio, 572, 138}, {TagType::Audio, 618, 129},
    {TagType::Audio, 664, 123}, {TagType::Video, 400, 5}, // AVC end of sequence
}};

struct Packet {
    bool video;
    std::int64_t dts;
    std::int64_t pts;
    std::uint32_t size;
    bool key;
};

// `ffprobe -show_packets -show_entries packet=codec_type,pts,dts,size,flags` of the file, in
// file order. ffprobe drops the sequence headers and the end-of-sequence tag.
constexpr std::array<Packet, 17> kFfprobePackets = {{
    {true, 0, 200, 1677, true},
    {true, 100, 400, 403, false},
    {false, 154, 154, 202, true},
    {true, 200, 300, 216, false},
    {false, 200, 200, 193, true},
    {false, 246, 246, 122, true},
    {false, 293, 293, 129, true},
    {true, 300, 600, 468, false},
    {false, 339, 339, 126, true},
    {false, 386, 386, 147, true},
    {true, 400, 500, 236, false},
    {false, 432, 432, 176, true},
    {false, 479, 479, 143, true},
    {false, 525, 525, 140, true},
    {false, 572, 572, 136, true},
    {false, 618, 618, 127, true},
    {false, 664, 664, 121, true},
}};

std::vector<Tag> readAll(const QByteArray& data, std::size_t chunk) {
    FlvReader reader;
    std::vector<Tag> tags;
    for (qsizetype pos = 0; pos < data.size(); pos += static_cast<qsizetype>(chunk)) {
        const auto status = reader.feed(view(data.mid(pos, static_cast<qsizetype>(chunk))), tags);
        if (!status) {
            return {};
        }
    }
    return tags;
}

bool sameTags(const std::vector<Tag>& a, const std::vector<Tag>& b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].type != b[i].type || a[i].timestampMs != b[i].timestampMs ||
            a[i].body != b[i].body) {
            return false;
        }
    }
    return true;
}

// A stream built with the writers: header, then tags whose bodies are `size` bytes of `fill`.
QByteArray writeStream(const std::vector<std::pair<std::uint32_t, std::uint32_t>>& tags) {
    std::vector<std::uint8_t> out = fileHeader(true, false);
    for (const auto& [timestamp, size] : tags) {
        std::array<std::uint8_t, kTagHeaderSize> header{};
        writeTagHeader(header.data(), TagType::Audio, size, timestamp);
        out.insert(out.end(), header.begin(), header.end());
        out.insert(out.end(), size, static_cast<std::uint8_t>(timestamp));
        std::array<std::uint8_t, 4> previous{};
        writePreviousTagSize(previous.data(), size);
        out.insert(out.end(), previous.begin(), previous.end());
    }
    return QByteArray(reinterpret_cast<const char*>(out.data()),
                      static_cast<qsizetype>(out.size()));
}

} // namespace

class tst_FlvReader : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void realFile();
    void realFileMatchesFfprobe();
    void realFileConfigs();
    void splitAtEveryByte();
    void byteByByte();
    void errors_data();
    void errors();
    void tagsBeforeAnErrorAreDelivered();
    void headerPadding();
    void writerRoundTripExtendedTimestamp();
    void largeTagTrickle();

private:
    QByteArray file_;
    std::vector<Tag> tags_;
};

void tst_FlvReader::initTestCase() {
    file_ = fixture();
    QCOMPARE(file_.size(), 5465);
    FlvReader reader;
    const auto status = reader.feed(view(file_), tags_);
    QVERIFY2(status.has_value(), status ? "" : status.error().message().c_str());
}

void tst_FlvReader::realFile() {
    FlvReader reader;
    QVERIFY(!reader.headerSeen());
    std::vector<Tag> tags;
    QVERIFY(reader.feed(view(file_), tags).has_value());
    QVERIFY(reader.headerSeen());
    QVERIFY(reader.hasAudio());
    QVERIFY(reader.hasVideo());
    QCOMPARE(tags.size(), kTags.size());
    for (std::size_t i = 0; i < kTags.size(); ++i) {
        QCOMPARE(tags[i].type, kTags[i].type);
        QCOMPARE(tags[i].timestampMs, kTags[i].timestampMs);
        QCOMPARE(tags[i].body.size(), std::size_t{kTags[i].dataSize});
    }
    // Spot-check body bytes: the AAC sequence header is af 00 + AudioSpecificConfig.
    const std::vector<std::uint8_t> aacHeader = {0xaf, 0x00, 0x13, 0x88, 0x56, 0xe5, 0x00};
    QCOMPARE(tags[2].body, aacHeader);
}

void tst_FlvReader::realFileMatchesFfprobe() {
    std::size_t next = 0;
    for (const Tag& tag : tags_) {
        if (tag.type == TagType::Script) {
            continue;
        }
        const bool video = tag.type == TagType::Video;
        std::int64_t pts = tag.timestampMs;
        std::uint32_t offset = 0;
        bool key = true;
        if (video) {
            const auto info = parseVideoTag(tag.body);
            QVERIFY(info.has_value());
            QCOMPARE(info->codec, VideoCodec::H264);
            if (info->kind != VideoPacketKind::CodedFrames) {
                continue;
            }
            pts += info->compositionTime;
            offset = info->payloadOffset;
            key = info->keyframe;
        } else {
            const auto info = parseAudioTag(tag.body);
            QVERIFY(info.has_value());
            QCOMPARE(info->codec, AudioCodec::Aac);
            if (info->sequenceHeader) {
                continue;
            }
            offset = info->payloadOffset;
        }
        QVERIFY(next < kFfprobePackets.size());
        const Packet& expected = kFfprobePackets[next++];
        QCOMPARE(video, expected.video);
        QCOMPARE(std::int64_t{tag.timestampMs}, expected.dts);
        QCOMPARE(pts, expected.pts);
        QCOMPARE(static_cast<std::uint32_t>(tag.body.size()) - offset, expected.size);
        QCOMPARE(key, expected.key);
    }
    QCOMPARE(next, kFfprobePackets.size());
}

void tst_FlvReader::realFileConfigs() {
    // ffprobe: h264 Main 160x120; aac LC 22050 Hz mono.
    const auto video = parseVideoTag(tags_[1].body);
    QVERIFY(video.has_value());
    QCOMPARE(video->kind, VideoPacketKind::SequenceHeader);
    const auto avc = stagecast::protocol::codec::parseAvcConfig(
        std::span(tags_[1].body).subspan(video->payloadOffset));
    QVERIFY(avc.has_value());
    QCOMPARE(avc->profile, std::string("Main"));
    QCOMPARE(avc->width, 160U);
    QCOMPARE(avc->height, 120U);
    QCOMPARE(avc->frameRate, 10.0);

    const auto audio = parseAudioTag(tags_[2].body);
    QVERIFY(audio.has_value());
    QVERIFY(audio->sequenceHeader);
    const auto aac = stagecast::protocol::codec::parseAacConfig(
        std::span(tags_[2].body).subspan(audio->payloadOffset));
    QVERIFY(aac.has_value());
    QCOMPARE(aac->profile, std::string("LC"));
    QCOMPARE(aac->sampleRate, 22050U);
    QCOMPARE(aac->channels, 1U);
}

void tst_FlvReader::splitAtEveryByte() {
    // The whole file (5.3 KiB), not just its start: every split point lands once in the
    // header, a PreviousTagSize, a tag header and a body.
    for (qsizetype split = 0; split <= file_.size(); ++split) {
        FlvReader reader;
        std::vector<Tag> tags;
        QVERIFY(reader.feed(view(file_.left(split)), tags).has_value());
        QVERIFY(reader.feed(view(file_.mid(split)), tags).has_value());
        QVERIFY2(sameTags(tags, tags_), qPrintable(QString("split at %1").arg(split)));
    }
}

void tst_FlvReader::byteByByte() {
    QVERIFY(sameTags(readAll(file_, 1), tags_));
    QVERIFY(sameTags(readAll(file_, 7), tags_));
    QVERIFY(sameTags(readAll(file_, 4096), tags_));
}

void tst_FlvReader::errors_data() {
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<uint>("maxTagSize");
    QTest::addColumn<QString>("error");

    const QByteArray real = fixture();
    QByteArray signature = real;
    signature[2] = 'X';
    QTest::newRow("bad signature")
        << signature << 1024U * 1024U << "flv: bad signature, expected \"FLV\" at offset 0";
    QByteArray version = real;
    version[3] = 2;
    QTest::newRow("version 2") << version << 1024U * 1024U
                               << "flv: version 2 unsupported, allowed 1";
    QByteArray dataOffset = real;
    dataOffset[8] = 8;
    QTest::newRow("data offset 8")
        << dataOffset << 1024U * 1024U << "flv: header DataOffset 8 invalid, allowed 9..65535";
    QByteArray previous0 = real;
    previous0[12] = 5;
    QTest::newRow("previous tag size 0 not zero")
        << previous0 << 1024U * 1024U
        << "flv: PreviousTagSize 5 at offset 9 invalid, expected 0 (PreviousTagSize0)";
    QByteArray previous1 = real;
    previous1[295] = 0x18; // 0x118 = 280 instead of 11 + 268 = 279
    QTest::newRow("previous tag size off by one")
        << previous1 << 1024U * 1024U
        << "flv: PreviousTagSize 280 at offset 292 invalid, expected 279 (11 + previous tag "
           "data size)";
    QTest::newRow("tag over the limit")
        << real << 100U << "flv: tag size 268 at offset 13 exceeds the limit of 100 bytes";
    QByteArray tagType = real;
    tagType[13] = 7;
    QTest::newRow("tag type 7") << tagType << 1024U * 1024U
                                << "flv: tag type 7 at offset 13 invalid, allowed 8 (audio), 9 "
                                   "(video), 18 (script)";
    QByteArray encrypted = real;
    encrypted[296] = 0x29; // video tag with the Filter bit
    QTest::newRow("encrypted") << encrypted << 1024U * 1024U
                               << "flv: encrypted tags unsupported (filter bit set at offset 296)";
}

void tst_FlvReader::errors() {
    QFETCH(QByteArray, stream);
    QFETCH(uint, maxTagSize);
    QFETCH(QString, error);

    // Same error whether the bytes come at once or split anywhere in the first 400 bytes
    // (where all the damage is), and it sticks.
    for (qsizetype split = 0; split <= 400; ++split) {
        FlvReader reader(FlvReaderLimits{maxTagSize});
        std::vector<Tag> tags;
        auto status = reader.feed(view(stream.left(split)), tags);
        if (status) {
            status = reader.feed(view(stream.mid(split)), tags);
        }
        QVERIFY2(!status.has_value(), qPrintable(QString("split at %1").arg(split)));
        QCOMPARE(QString::fromStdString(status.error().message()), error);
        const auto again = reader.feed(view(stream.left(1)), tags);
        QVERIFY(!again.has_value());
        QCOMPARE(QString::fromStdString(again.error().message()), error);
    }
}

void tst_FlvReader::tagsBeforeAnErrorAreDelivered() {
    QByteArray stream = fixture();
    stream[2076 - 1] = 0; // PreviousTagSize after tag 3 (at 2072..2075): 1693 -> 1536
    FlvReader reader;
    std::vector<Tag> tags;
    const auto status = reader.feed(view(stream), tags);
    QVERIFY(!status.has_value());
    QVERIFY2(QString::fromStdString(status.error().message()).contains("at offset 2072"),
             status.error().message().c_str());
    QCOMPARE(tags.size(), std::size_t{4});
    QCOMPARE(tags[3].body.size(), std::size_t{1682});
}

void tst_FlvReader::headerPadding() {
    // DataOffset 15: six bytes between the header and PreviousTagSize0 are skipped.
    QByteArray stream = writeStream({{10, 3}, {20, 0}});
    stream[8] = 15;
    stream.insert(9, QByteArray::fromHex("deadbeefcafe"));
    for (qsizetype split = 0; split <= stream.size(); ++split) {
        FlvReader reader;
        std::vector<Tag> tags;
        QVERIFY(reader.feed(view(stream.left(split)), tags).has_value());
        QVERIFY(reader.feed(view(stream.mid(split)), tags).has_value());
        QCOMPARE(tags.size(), std::size_t{2});
        QCOMPARE(tags[0].timestampMs, 10U);
        QCOMPARE(tags[0].body, std::vector<std::uint8_t>(3, 10));
        QCOMPARE(tags[1].timestampMs, 20U);
        QVERIFY(tags[1].body.empty());
        QVERIFY(reader.hasAudio());
        QVERIFY(!reader.hasVideo());
    }
}

void tst_FlvReader::writerRoundTripExtendedTimestamp() {
    const QByteArray stream = writeStream({{0x00fffffe, 2}, {0x01000005, 1}, {0xfedcba98, 4}});
    FlvReader reader;
    std::vector<Tag> tags;
    QVERIFY(reader.feed(view(stream), tags).has_value());
    QCOMPARE(tags.size(), std::size_t{3});
    QCOMPARE(tags[0].timestampMs, 0x00fffffeU);
    QCOMPARE(tags[1].timestampMs, 0x01000005U);
    QCOMPARE(tags[2].timestampMs, 0xfedcba98U);
    QCOMPARE(tags[2].body.size(), std::size_t{4});
}

void tst_FlvReader::largeTagTrickle() {
    // A 4 MiB tag arriving one byte per feed(): quadratic buffering would take hours.
    constexpr std::uint32_t kSize = 4 * 1024 * 1024;
    const QByteArray stream = writeStream({{7, kSize}});
    FlvReader reader;
    std::vector<Tag> tags;
    for (qsizetype i = 0; i < stream.size(); ++i) {
        QVERIFY(reader.feed(view(stream.mid(i, 1)), tags).has_value());
    }
    QCOMPARE(tags.size(), std::size_t{1});
    QCOMPARE(tags[0].body.size(), std::size_t{kSize});
    QCOMPARE(tags[0].body.back(), std::uint8_t{7});
}

QTEST_APPLESS_MAIN(tst_FlvReader)
#include "tst_FlvReader.moc"
