#include "protocol/mp4/Fmp4.h"

#include <array>
#include <cstring>
#include <string_view>

namespace stagecast::protocol::mp4 {

namespace {

// The unity matrix of mvhd/tkhd.
constexpr std::array<std::uint32_t, 9> kMatrix = {0x00010000, 0, 0, 0,         0x00010000,
                                                  0,          0, 0, 0x40000000};
constexpr std::size_t kMaxConfigBytes = 64 * 1024;

/// Appends big-endian fields and boxes whose size is patched when they close.
class Writer {
public:
    std::vector<std::uint8_t> out;

    void u8(std::uint32_t v) { out.push_back(static_cast<std::uint8_t>(v)); }
    void u16(std::uint32_t v) {
        u8(v >> 8);
        u8(v);
    }
    void u24(std::uint32_t v) {
        u8(v >> 16);
        u16(v & 0xffff);
    }
    void u32(std::uint32_t v) {
        u16(v >> 16);
        u16(v & 0xffff);
    }
    void u64(std::uint64_t v) {
        u32(static_cast<std::uint32_t>(v >> 32));
        u32(static_cast<std::uint32_t>(v));
    }
    void zeros(std::size_t n) { out.insert(out.end(), n, 0); }
    void bytes(std::span<const std::uint8_t> b) { out.insert(out.end(), b.begin(), b.end()); }
    void text(std::string_view t) { out.insert(out.end(), t.begin(), t.end()); }

    std::size_t open(std::string_view type) {
        const auto at = out.size();
        u32(0);
        text(type);
        return at;
    }
    std::size_t openFull(std::string_view type, std::uint8_t version, std::uint32_t flags) {
        const auto at = open(type);
        u8(version);
        u24(flags);
        return at;
    }
    void close(std::size_t at) {
        const auto size = static_cast<std::uint32_t>(out.size() - at);
        out[at] = static_cast<std::uint8_t>(size >> 24);
        out[at + 1] = static_cast<std::uint8_t>(size >> 16);
        out[at + 2] = static_cast<std::uint8_t>(size >> 8);
        out[at + 3] = static_cast<std::uint8_t>(size);
    }
    void patch32(std::size_t at, std::uint32_t v) {
        out[at] = static_cast<std::uint8_t>(v >> 24);
        out[at + 1] = static_cast<std::uint8_t>(v >> 16);
        out[at + 2] = static_cast<std::uint8_t>(v >> 8);
        out[at + 3] = static_cast<std::uint8_t>(v);
    }
    void matrix() {
        for (auto m : kMatrix) {
            u32(m);
        }
    }
};

// MPEG-4 descriptors (ISO/IEC 14496-1): a tag and a length in one byte for the short
// descriptors written here (the AAC config is a few bytes).
void descriptor(Writer& w, std::uint8_t tag, const std::vector<std::uint8_t>& body) {
    w.u8(tag);
    w.u8(static_cast<std::uint32_t>(body.size()));
    w.out.insert(w.out.end(), body.begin(), body.end());
}

void esds(Writer& w, std::uint32_t trackId, const AudioTrackSpec& a) {
    Writer dsi;
    dsi.bytes(a.audioSpecificConfig);
    Writer dcd;
    dcd.u8(0x40); // objectTypeIndication: MPEG-4 Audio
    dcd.u8(0x15); // streamType audio (5) << 2 | reserved 1
    dcd.u24(0);   // bufferSizeDB
    dcd.u32(0);   // maxBitrate
    dcd.u32(0);   // avgBitrate
    descriptor(dcd, 0x05, dsi.out);
    Writer es;
    es.u16(trackId); // ES_ID
    es.u8(0);        // no dependency, URL or OCR stream
    descriptor(es, 0x04, dcd.out);
    descriptor(es, 0x06, {0x02}); // SLConfigDescriptor: predefined MP4
    const auto box = w.openFull("esds", 0, 0);
    descriptor(w, 0x03, es.out);
    w.close(box);
}

void sampleEntry(Writer& w, std::uint32_t trackId, const InitSpec& spec, bool video) {
    const auto stsd = w.openFull("stsd", 0, 0);
    w.u32(1);
    if (video) {
        const auto& v = *spec.video;
        const auto entry = w.open(v.codec == VideoCodec::H264 ? "avc1" : "hvc1");
        w.zeros(6);
        w.u16(1); // data_reference_index
        w.zeros(16);
        w.u16(v.width);
        w.u16(v.height);
        w.u32(0x00480000); // 72 dpi
        w.u32(0x00480000);
        w.u32(0);
        w.u16(1);      // frame_count
        w.zeros(32);   // compressorname
        w.u16(0x0018); // depth
        w.u16(0xffff); // pre_defined = -1
        const auto config = w.open(v.codec == VideoCodec::H264 ? "avcC" : "hvcC");
        w.bytes(v.configRecord);
        w.close(config);
        w.close(entry);
    } else {
        const auto& a = *spec.audio;
        const auto entry = w.open("mp4a");
        w.zeros(6);
        w.u16(1);
        w.zeros(8);
        w.u16(a.channels);
        w.u16(16); // samplesize
        w.u32(0);
        w.u32(a.sampleRate < 65536 ? a.sampleRate << 16 : 0);
        esds(w, trackId, a);
        w.close(entry);
    }
    w.close(stsd);
}

void track(Writer& w, std::uint32_t trackId, const InitSpec& spec, bool video) {
    const auto trak = w.open("trak");
    const auto tkhd = w.openFull("tkhd", 0, 3); // enabled, in movie
    w.u32(0);
    w.u32(0);
    w.u32(trackId);
    w.u32(0);
    w.u32(0); // duration: unknown (fragments)
    w.zeros(8);
    w.u16(0);                  // layer
    w.u16(0);                  // alternate_group
    w.u16(video ? 0 : 0x0100); // volume
    w.u16(0);
    w.matrix();
    w.u32(video ? spec.video->width << 16 : 0);
    w.u32(video ? spec.video->height << 16 : 0);
    w.close(tkhd);

    const auto mdia = w.open("mdia");
    const auto mdhd = w.openFull("mdhd", 0, 0);
    w.u32(0);
    w.u32(0);
    w.u32(kTimescale);
    w.u32(0);
    w.u16(0x55c4); // "und"
    w.u16(0);
    w.close(mdhd);
    const auto hdlr = w.openFull("hdlr", 0, 0);
    w.u32(0);
    w.text(video ? "vide" : "soun");
    w.zeros(12);
    w.text(video ? "Stagecast video" : "Stagecast audio");
    w.u8(0);
    w.close(hdlr);

    const auto minf = w.open("minf");
    if (video) {
        const auto vmhd = w.openFull("vmhd", 0, 1);
        w.zeros(8);
        w.close(vmhd);
    } else {
        const auto smhd = w.openFull("smhd", 0, 0);
        w.zeros(4);
        w.close(smhd);
    }
    const auto dinf = w.open("dinf");
    const auto dref = w.openFull("dref", 0, 0);
    w.u32(1);
    const auto url = w.openFull("url ", 0, 1); // media in the same file
    w.close(url);
    w.close(dref);
    w.close(dinf);
    const auto stbl = w.open("stbl");
    sampleEntry(w, trackId, spec, video);
    for (const char* empty : {"stts", "stsc", "stco"}) {
        const auto box = w.openFull(empty, 0, 0);
        w.u32(0);
        w.close(box);
    }
    const auto stsz = w.openFull("stsz", 0, 0);
    w.u32(0);
    w.u32(0);
    w.close(stsz);
    w.close(stbl);
    w.close(minf);
    w.close(mdia);
    w.close(trak);
}

} // namespace

std::uint32_t videoTrackId(const InitSpec& spec) {
    return spec.video ? 1 : 0;
}

std::uint32_t audioTrackId(const InitSpec& spec) {
    return spec.audio ? (spec.video ? 2 : 1) : 0;
}

base::Result<std::vector<std::uint8_t>> initSegment(const InitSpec& spec) {
    if (!spec.video && !spec.audio) {
        return base::fail("fmp4: an init segment needs a video or an audio track");
    }
    if (spec.video &&
        (spec.video->configRecord.empty() || spec.video->configRecord.size() > kMaxConfigBytes ||
         spec.video->width == 0 || spec.video->width > 0xffff || spec.video->height == 0 ||
         spec.video->height > 0xffff)) {
        return base::fail("fmp4: the video track needs its decoder configuration and a size");
    }
    if (spec.audio &&
        (spec.audio->audioSpecificConfig.empty() || spec.audio->audioSpecificConfig.size() > 100 ||
         spec.audio->sampleRate == 0 || spec.audio->channels == 0)) {
        return base::fail("fmp4: the audio track needs its AudioSpecificConfig, rate and channels");
    }
    Writer w;
    const auto ftyp = w.open("ftyp");
    w.text("iso6");
    w.u32(0);
    for (const char* brand : {"iso6", "cmfc", "mp41", "isom"}) {
        w.text(brand);
    }
    w.close(ftyp);

    const auto moov = w.open("moov");
    const auto mvhd = w.openFull("mvhd", 0, 0);
    w.u32(0);
    w.u32(0);
    w.u32(kTimescale);
    w.u32(0);
    w.u32(0x00010000); // rate 1.0
    w.u16(0x0100);     // volume 1.0
    w.zeros(10);
    w.matrix();
    w.zeros(24);
    w.u32((spec.video ? 1U : 0U) + (spec.audio ? 1U : 0U) + 1); // next_track_ID
    w.close(mvhd);
    if (spec.video) {
        track(w, videoTrackId(spec), spec, true);
    }
    if (spec.audio) {
        track(w, audioTrackId(spec), spec, false);
    }
    const auto mvex = w.open("mvex");
    for (auto id : {videoTrackId(spec), audioTrackId(spec)}) {
        if (id == 0) {
            continue;
        }
        const auto trex = w.openFull("trex", 0, 0);
        w.u32(id);
        w.u32(1); // default_sample_description_index
        w.u32(0);
        w.u32(0);
        w.u32(0);
        w.close(trex);
    }
    w.close(mvex);
    w.close(moov);
    return std::move(w.out);
}

std::vector<std::uint8_t> fragment(std::uint32_t sequence, const std::vector<TrackRun>& runs) {
    // trun flags: data-offset, and per sample duration, size, flags and composition offset.
    constexpr std::uint32_t kTrunFlags = 0x000001 | 0x000100 | 0x000200 | 0x000400 | 0x000800;
    constexpr std::uint32_t kSyncFlags = 0x02000000;    // depends on no other sample
    constexpr std::uint32_t kNonSyncFlags = 0x01010000; // depends on others, not a sync sample
    Writer w;
    const auto moof = w.open("moof");
    const auto mfhd = w.openFull("mfhd", 0, 0);
    w.u32(sequence);
    w.close(mfhd);
    std::vector<std::size_t> offsetFields;
    for (const auto& run : runs) {
        if (run.samples.empty()) {
            continue;
        }
        const auto traf = w.open("traf");
        const auto tfhd = w.openFull("tfhd", 0, 0x020000); // default-base-is-moof
        w.u32(run.trackId);
        w.close(tfhd);
        const auto tfdt = w.openFull("tfdt", 1, 0);
        w.u64(run.baseDecodeTime);
        w.close(tfdt);
        const auto trun = w.openFull("trun", 1, kTrunFlags); // version 1: signed offsets
        w.u32(static_cast<std::uint32_t>(run.samples.size()));
        offsetFields.push_back(w.out.size());
        w.u32(0); // data_offset, patched below
        for (const auto& s : run.samples) {
            w.u32(s.duration);
            w.u32(static_cast<std::uint32_t>(s.data.size()));
            w.u32(s.sync ? kSyncFlags : kNonSyncFlags);
            w.u32(static_cast<std::uint32_t>(s.ctsOffset));
        }
        w.close(trun);
        w.close(traf);
    }
    w.close(moof);
    const auto mdat = w.open("mdat");
    std::size_t field = 0;
    for (const auto& run : runs) {
        if (run.samples.empty()) {
            continue;
        }
        // Offsets count from the start of the moof (default-base-is-moof).
        w.patch32(offsetFields[field++], static_cast<std::uint32_t>(w.out.size() - moof));
        for (const auto& s : run.samples) {
            w.bytes(s.data);
        }
    }
    w.close(mdat);
    return std::move(w.out);
}

} // namespace stagecast::protocol::mp4
