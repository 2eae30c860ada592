#include "director/ProgramOutput.h"

#include <string_view>

#include <util/platform.h>

#include "base/Log.h"
#include "director/HubSink.h"
#include "director/VideoEncoderChoice.h"

namespace stagecast::director {

namespace {

struct TypeContext {
    stream::Hub* hub;
};

const char* outputName(void*) noexcept {
    return "Stagecast hub publisher";
}

void* outputCreate(obs_data_t* settings, obs_output_t* output) noexcept {
    try {
        auto key = stream::StreamKey::parse(obs_data_get_string(settings, "stream"));
        if (!key) {
            base::log(base::LogLevel::Warning, "director", "program: " + key.error().message());
            return nullptr;
        }
        auto* context = static_cast<TypeContext*>(obs_output_get_type_data(output));
        return new HubSink(*context->hub, std::move(*key), output);
    } catch (const std::exception& e) {
        base::log(base::LogLevel::Warning, "director", std::string("program: ") + e.what());
        return nullptr;
    }
}

void outputDestroy(void* data) noexcept {
    delete static_cast<HubSink*>(data);
}

bool outputStart(void* data) noexcept {
    try {
        return static_cast<HubSink*>(data)->start();
    } catch (...) {
        return false;
    }
}

void outputStop(void* data, std::uint64_t) noexcept {
    try {
        static_cast<HubSink*>(data)->stop();
    } catch (...) {
        base::log(base::LogLevel::Warning, "director", "program: stop failed");
    }
}

void outputPacket(void* data, encoder_packet* packet) noexcept {
    if (packet == nullptr) {
        return; // libobs signals an encoder failure this way; the output stops itself
    }
    try {
        static_cast<HubSink*>(data)->packet(*packet);
    } catch (...) {
        base::log(base::LogLevel::Warning, "director", "program: a packet was lost");
    }
}

void freeTypeData(void* data) noexcept {
    delete static_cast<TypeContext*>(data);
}

DataRef makeSettings() {
    return DataRef(obs_data_create());
}

} // namespace

void ProgramOutput::registerType(stream::Hub& hub) {
    obs_output_info info{};
    info.id = kHubOutputId;
    info.flags = OBS_OUTPUT_AV | OBS_OUTPUT_ENCODED;
    info.get_name = outputName;
    info.create = outputCreate;
    info.destroy = outputDestroy;
    info.start = outputStart;
    info.stop = outputStop;
    info.encoded_packet = outputPacket;
    info.encoded_video_codecs = "h264";
    info.encoded_audio_codecs = "aac";
    info.type_data = new TypeContext{&hub};
    info.free_type_data = freeTypeData;
    obs_register_output(&info);

    // The same publisher for a picture without sound (the preview, PreviewOutput.h).
    info.id = kHubVideoOutputId;
    info.flags = OBS_OUTPUT_VIDEO | OBS_OUTPUT_ENCODED;
    info.encoded_audio_codecs = nullptr;
    info.type_data = new TypeContext{&hub};
    obs_register_output(&info);
}

base::Result<std::unique_ptr<ProgramOutput>> ProgramOutput::start(const ProgramOptions& options) {
    std::unique_ptr<ProgramOutput> program(new ProgramOutput(options));

    // The settings OBS Studio's encoders share (x264, NVENC, QSV, AMF, VA-API, VideoToolbox):
    // bitrate, rate_control, keyint_sec. CBR is x264's hard CBR with filler; VBR caps CRF 23 at
    // the bitrate.
    const bool x264 = options.encoderId == kX264EncoderId;
    auto video = makeSettings();
    obs_data_set_int(video.get(), "bitrate", options.videoKbps);
    obs_data_set_int(video.get(), "max_bitrate", options.videoKbps);
    obs_data_set_string(video.get(), "rate_control", obsRateControl(options.rateControl).c_str());
    obs_data_set_int(video.get(), "keyint_sec", options.keyframeSeconds);
    if (x264) {
        obs_data_set_string(video.get(), "preset", options.x264Preset.c_str());
        obs_data_set_int(video.get(), "crf", 23);
    }
    program->video_ = EncoderRef(
        obs_video_encoder_create(options.encoderId.c_str(), "program video", video.get(), nullptr));
    if (!program->video_) {
        return base::fail(x264 ? std::string("the obs_x264 encoder is not available (OBS module "
                                             "obs-x264)")
                               : "the " + options.encoderId + " encoder could not be created");
    }
    obs_encoder_set_video(program->video_.get(), obs_get_video());

    auto audio = makeSettings();
    obs_data_set_int(audio.get(), "bitrate", options.audioKbps);
    program->audio_ = EncoderRef(
        obs_audio_encoder_create("ffmpeg_aac", "program audio", audio.get(), 0, nullptr));
    if (!program->audio_) {
        return base::fail("the ffmpeg_aac encoder is not available (OBS module obs-ffmpeg)");
    }
    obs_encoder_set_audio(program->audio_.get(), obs_get_audio());

    auto settings = makeSettings();
    obs_data_set_string(settings.get(), "stream", options.stream.c_str());
    program->output_ =
        OutputRef(obs_output_create(kHubOutputId, "program", settings.get(), nullptr));
    if (!program->output_ || obs_obj_get_data(program->output_.get()) == nullptr) {
        return base::fail("program stream '" + options.stream + "' must be APP/NAME");
    }
    obs_output_set_video_encoder(program->output_.get(), program->video_.get());
    obs_output_set_audio_encoder(program->output_.get(), program->audio_.get(), 0);
    if (!obs_output_start(program->output_.get())) {
        const char* why = obs_output_get_last_error(program->output_.get());
        return base::fail("the program output did not start" +
                          std::string(why != nullptr ? std::string(": ") + why : ""));
    }
    return program;
}

std::vector<std::string> ProgramOutput::availableH264Encoders() {
    std::vector<std::string> ids;
    const char* id = nullptr;
    for (std::size_t i = 0; obs_enum_encoder_types(i, &id); ++i) {
        const char* codec = id != nullptr ? obs_get_encoder_codec(id) : nullptr;
        if (codec != nullptr && std::string_view(codec) == "h264" &&
            obs_get_encoder_type(id) == OBS_ENCODER_VIDEO) {
            ids.emplace_back(id);
        }
    }
    return ids;
}

ProgramOutput::~ProgramOutput() {
    if (output_) {
        obs_output_force_stop(output_.get());
    }
    output_.reset();
    video_.reset();
    audio_.reset();
}

std::optional<std::int64_t> ProgramOutput::programTimeNowMs() const {
    auto* sink = output_ ? static_cast<HubSink*>(obs_obj_get_data(output_.get())) : nullptr;
    if (sink == nullptr) {
        return std::nullopt;
    }
    return sink->programTimeMs(static_cast<std::int64_t>(os_gettime_ns() / 1000));
}

ProgramFigures ProgramOutput::figures() const {
    if (!output_) {
        return {};
    }
    auto* sink = static_cast<HubSink*>(obs_obj_get_data(output_.get()));
    return sink != nullptr ? sink->figures() : ProgramFigures{};
}

} // namespace stagecast::director
