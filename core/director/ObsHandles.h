#pragma once
/// Owning handles for libobs objects: each holds one reference and releases it when it goes.
/// Move-only, explicit, no implicit conversion to the raw pointer (get() when libobs needs it).
///
/// Thread: a handle is used by one thread at a time; libobs' reference counts are atomic, so
/// handles to the same object may live on different threads.

#include <obs.h>

namespace stagecast::director {

template <typename T, void (*Release)(T*)>
class ObsRef {
public:
    ObsRef() = default;
    /// Adopts a reference the caller already holds (the result of obs_*_create, *_get_ref).
    explicit ObsRef(T* adopted) : p_(adopted) {}
    ~ObsRef() { reset(); }
    ObsRef(const ObsRef&) = delete;
    ObsRef& operator=(const ObsRef&) = delete;
    ObsRef(ObsRef&& other) noexcept : p_(other.p_) { other.p_ = nullptr; }
    ObsRef& operator=(ObsRef&& other) noexcept {
        if (this != &other) {
            reset();
            p_ = other.p_;
            other.p_ = nullptr;
        }
        return *this;
    }

    T* get() const { return p_; }
    explicit operator bool() const { return p_ != nullptr; }
    void reset() {
        if (p_ != nullptr) {
            Release(p_);
            p_ = nullptr;
        }
    }

private:
    T* p_ = nullptr;
};

using SourceRef = ObsRef<obs_source_t, obs_source_release>;
using SceneRef = ObsRef<obs_scene_t, obs_scene_release>;
using EncoderRef = ObsRef<obs_encoder_t, obs_encoder_release>;
using OutputRef = ObsRef<obs_output_t, obs_output_release>;
using DataRef = ObsRef<obs_data_t, obs_data_release>;
/// A view: its channels are released with it (obs_view_destroy); take its mix off first.
using ViewRef = ObsRef<obs_view_t, obs_view_destroy>;
/// A video output this program opened (video_output_open), closed with it.
using VideoOutputRef = ObsRef<video_t, video_output_close>;

/// A new reference to `source` (nullptr stays empty).
inline SourceRef shareSource(obs_source_t* source) {
    return SourceRef(source != nullptr ? obs_source_get_ref(source) : nullptr);
}

} // namespace stagecast::director
