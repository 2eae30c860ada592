#include "director/SlotFrame.h"

#include <atomic>
#include <cstring>
#include <new>

namespace stagecast::director {

namespace {

/// The frame's one child (a scene, or a picture for the straight type). Set once by
/// makeFrameOf before the frame is placed anywhere, so libobs' threads only ever read it.
struct Frame {
    obs_source_t* self = nullptr;              // the frame's own source (no reference)
    std::atomic<obs_source_t*> child{nullptr}; // a reference of its own
    std::atomic<bool> passAudio{true};         // a tap always passes it
};

obs_source_t* childOf(void* data) {
    return static_cast<Frame*>(data)->child.load(std::memory_order_acquire);
}

const char* frameName(void*) noexcept {
    return "Stagecast input slot";
}

const char* tapName(void*) noexcept {
    return "Stagecast input slot's sound";
}

const char* straightName(void*) noexcept {
    return "Stagecast opaque picture";
}

SourceRef makeFrameOf(const char* type, obs_source_t* child, const char* name);

void* frameCreate(obs_data_t*, obs_source_t* source) noexcept {
    auto* frame = new (std::nothrow) Frame();
    if (frame != nullptr) {
        frame->self = source;
    }
    return frame;
}

void frameDestroy(void* data) noexcept {
    auto* frame = static_cast<Frame*>(data);
    obs_source_release(frame->child.exchange(nullptr));
    delete frame;
}

std::uint32_t frameWidth(void* data) noexcept {
    obs_source_t* child = childOf(data);
    return child != nullptr ? obs_source_get_width(child) : 0;
}

std::uint32_t frameHeight(void* data) noexcept {
    obs_source_t* child = childOf(data);
    return child != nullptr ? obs_source_get_height(child) : 0;
}

void frameRender(void* data, gs_effect_t*) noexcept {
    if (obs_source_t* scene = childOf(data)) {
        obs_source_video_render(scene); // the scene draws its items with the current transform
    }
}

/// libobs calls this with linear sRGB off (the type does not say OBS_SOURCE_SRGB), so the
/// child's texture is read and written as the 8-bit sRGB values it holds; blending is off
/// too, since the picture is opaque.
void straightRender(void* data, gs_effect_t*) noexcept {
    if (obs_source_t* picture = childOf(data)) {
        gs_blend_state_push();
        gs_enable_blending(false);
        obs_source_video_render(picture);
        gs_blend_state_pop();
    }
}

void frameEnum(void* data, obs_source_enum_proc_t each, void* param) noexcept {
    if (obs_source_t* child = childOf(data)) {
        each(static_cast<Frame*>(data)->self, child, param);
    }
}

bool frameAudio(void* data, std::uint64_t* tsOut, obs_source_audio_mix* out, std::uint32_t mixers,
                size_t channels, size_t) noexcept {
    obs_source_t* child = childOf(data);
    if (child == nullptr || !static_cast<Frame*>(data)->passAudio.load(std::memory_order_relaxed) ||
        obs_source_audio_pending(child)) {
        return false;
    }
    const std::uint64_t ts = obs_source_get_audio_timestamp(child);
    if (ts == 0) {
        return false;
    }
    obs_source_audio_mix in{};
    obs_source_get_audio_mix(child, &in);
    for (size_t mix = 0; mix < MAX_AUDIO_MIXES; ++mix) {
        if ((mixers & (1U << mix)) == 0) {
            continue;
        }
        for (size_t ch = 0; ch < channels; ++ch) {
            if (out->output[mix].data[ch] != nullptr && in.output[mix].data[ch] != nullptr) {
                std::memcpy(out->output[mix].data[ch], in.output[mix].data[ch],
                            AUDIO_OUTPUT_FRAMES * sizeof(float));
            }
        }
    }
    *tsOut = ts;
    return true;
}

} // namespace

void registerSlotFrameSource() {
    obs_source_info info{};
    info.id = kSlotFrameId;
    info.type = OBS_SOURCE_TYPE_INPUT;
    // The flags of a scene: the frame only hands drawing and mixing to one.
    info.output_flags = OBS_SOURCE_VIDEO | OBS_SOURCE_CUSTOM_DRAW | OBS_SOURCE_COMPOSITE |
                        OBS_SOURCE_DO_NOT_DUPLICATE | OBS_SOURCE_SRGB;
    info.get_name = frameName;
    info.create = frameCreate;
    info.destroy = frameDestroy;
    info.get_width = frameWidth;
    info.get_height = frameHeight;
    info.video_render = frameRender;
    info.audio_render = frameAudio;
    info.enum_active_sources = frameEnum;
    info.enum_all_sources = frameEnum;
    obs_register_source(&info);

    // The tap: the same audio, no picture (output channels' pictures are drawn on the canvas).
    obs_source_info tap = info;
    tap.id = kSlotAudioTapId;
    // Composite like a scene (libobs refuses a composite that says OBS_SOURCE_AUDIO too).
    tap.output_flags = OBS_SOURCE_COMPOSITE | OBS_SOURCE_DO_NOT_DUPLICATE;
    tap.get_name = tapName;
    tap.get_width = nullptr;
    tap.get_height = nullptr;
    tap.video_render = nullptr;
    obs_register_source(&tap);

    // The straight picture: a frame without OBS_SOURCE_SRGB, hence libobs' linear-sRGB off.
    obs_source_info straight = info;
    straight.id = kStraightPictureId;
    straight.output_flags = OBS_SOURCE_VIDEO | OBS_SOURCE_CUSTOM_DRAW | OBS_SOURCE_COMPOSITE |
                            OBS_SOURCE_DO_NOT_DUPLICATE;
    straight.get_name = straightName;
    straight.video_render = straightRender;
    obs_register_source(&straight);
}

void setSlotFramePassesAudio(obs_source_t* frame, bool pass) {
    auto* data = frame != nullptr ? static_cast<Frame*>(obs_obj_get_data(frame)) : nullptr;
    if (data != nullptr) {
        data->passAudio.store(pass, std::memory_order_relaxed);
    }
}

SourceRef makeSlotAudioTap(obs_scene_t* scene, const char* name) {
    return makeFrameOf(kSlotAudioTapId, scene != nullptr ? obs_scene_get_source(scene) : nullptr,
                       name);
}

SourceRef makeSlotFrame(obs_scene_t* scene, const char* name) {
    return makeFrameOf(kSlotFrameId, scene != nullptr ? obs_scene_get_source(scene) : nullptr,
                       name);
}

SourceRef makeStraightPicture(obs_source_t* picture, const char* name) {
    return makeFrameOf(kStraightPictureId, picture, name);
}

namespace {

SourceRef makeFrameOf(const char* type, obs_source_t* child, const char* name) {
    if (child == nullptr) {
        return {};
    }
    SourceRef frame(obs_source_create_private(type, name, nullptr));
    auto* data = frame ? static_cast<Frame*>(obs_obj_get_data(frame.get())) : nullptr;
    if (data == nullptr) {
        return {};
    }
    data->child.store(obs_source_get_ref(child), std::memory_order_release);
    return frame;
}

} // namespace

} // namespace stagecast::director
