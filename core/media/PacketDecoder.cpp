#include "media/PacketDecoder.h"

#include "media/AudioDecoder.h"
#include "media/VideoDecoder.h"

namespace stagecast::media {

struct PacketDecoder::Impl {
    VideoDecoder video;
    AudioDecoder audio;
};

PacketDecoder::PacketDecoder() : impl_(std::make_unique<Impl>()) {}

PacketDecoder::~PacketDecoder() = default;

base::Status PacketDecoder::decode(const stream::MediaPacket& packet, const PictureSink& pictures,
                                   const SamplesSink& samples) {
    switch (packet.kind) {
    case stream::TrackKind::Video:
        return impl_->video.decode(packet,
                                   [&](const AVFrame& frame) { pictures(viewPicture(frame)); });
    case stream::TrackKind::Audio:
        return impl_->audio.decode(packet,
                                   [&](const AVFrame& frame) { samples(viewSamples(frame)); });
    case stream::TrackKind::Data:
        break;
    }
    return {};
}

void PacketDecoder::reset() {
    impl_->video.reset();
    impl_->audio.reset();
}

} // namespace stagecast::media
