#include "director/Thumbnails.h"

#include <cstring>

#include "base/Log.h"
#include "media/snapshot/RgbaJpeg.h"

namespace stagecast::director {

namespace {

constexpr std::uint32_t kThumbWidth = 320;

} // namespace

Thumbnails::Thumbnails(std::uint32_t canvasWidth, std::uint32_t canvasHeight,
                       std::chrono::milliseconds refresh)
    : width_(kThumbWidth),
      height_(std::max<std::uint32_t>(2, (kThumbWidth * canvasHeight / canvasWidth) & ~1U)),
      canvasWidth_(canvasWidth), canvasHeight_(canvasHeight), refresh_(refresh) {
    encoder_ = std::thread([this] { encodeLoop(); });
    obs_add_tick_callback(&Thumbnails::onTick, this);
}

Thumbnails::~Thumbnails() {
    obs_remove_tick_callback(&Thumbnails::onTick, this);
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    jobs_.notify_all();
    ready_.notify_all();
    encoder_.join();
    obs_enter_graphics();
    gs_texrender_destroy(texrender_);
    gs_stagesurface_destroy(stage_);
    obs_leave_graphics();
    std::lock_guard lock(mutex_);
    entries_.clear();
}

base::Result<std::vector<std::uint8_t>> Thumbnails::get(const std::string& id, SourceRef source,
                                                        std::chrono::milliseconds wait) {
    std::unique_lock lock(mutex_);
    auto& e = entries_[id];
    e.source = std::move(source);
    const auto fresh = [&] {
        auto it = entries_.find(id);
        return stop_ || it == entries_.end() ||
               (!it->second.jpeg.empty() &&
                std::chrono::steady_clock::now() - it->second.madeAt <= refresh_);
    };
    if (!fresh()) {
        e.wanted = true;
        ready_.wait_for(lock, wait, fresh);
    }
    auto it = entries_.find(id);
    if (it == entries_.end() || it->second.jpeg.empty()) {
        return base::fail("no thumbnail of " + id + " could be made in time");
    }
    return it->second.jpeg;
}

void Thumbnails::forget(const std::string& id) {
    std::lock_guard lock(mutex_);
    entries_.erase(id);
}

void Thumbnails::onTick(void* self, float /*seconds*/) {
    static_cast<Thumbnails*>(self)->tick();
}

void Thumbnails::tick() {
    // First collect what the last tick staged, then stage the next wanted input.
    obs_enter_graphics();
    if (!staged_.empty()) {
        std::uint8_t* data = nullptr;
        std::uint32_t linesize = 0;
        if (gs_stagesurface_map(stage_, &data, &linesize)) {
            Job job;
            job.id = staged_;
            job.width = static_cast<int>(width_);
            job.height = static_cast<int>(height_);
            job.stride = static_cast<int>(linesize);
            job.rgba.assign(data, data + static_cast<std::size_t>(linesize) * height_);
            gs_stagesurface_unmap(stage_);
            {
                std::lock_guard lock(mutex_);
                queue_.push_back(std::move(job));
            }
            jobs_.notify_one();
        }
        staged_.clear();
    }
    obs_source_t* next = nullptr;
    std::string nextId;
    {
        std::lock_guard lock(mutex_);
        for (auto& [id, e] : entries_) {
            if (e.wanted && e.source) {
                e.wanted = false;
                next = obs_source_get_ref(e.source.get());
                nextId = id;
                break;
            }
        }
    }
    if (next != nullptr) {
        if (texrender_ == nullptr) {
            texrender_ = gs_texrender_create(GS_RGBA, GS_ZS_NONE);
            stage_ = gs_stagesurface_create(width_, height_, GS_RGBA);
        }
        gs_texrender_reset(texrender_);
        if (gs_texrender_begin(texrender_, width_, height_)) {
            vec4 clear{};
            vec4_zero(&clear);
            gs_clear(GS_CLEAR_COLOR, &clear, 0.0F, 0);
            gs_ortho(0.0F, static_cast<float>(canvasWidth_), 0.0F,
                     static_cast<float>(canvasHeight_), -100.0F, 100.0F);
            gs_blend_state_push();
            gs_blend_function(GS_BLEND_ONE, GS_BLEND_ZERO);
            obs_source_video_render(next);
            gs_blend_state_pop();
            gs_texrender_end(texrender_);
            gs_stage_texture(stage_, gs_texrender_get_texture(texrender_));
            staged_ = nextId;
        }
        obs_source_release(next);
    }
    obs_leave_graphics();
}

void Thumbnails::encodeLoop() {
    media::snapshot::JpegThumbnail encoder({static_cast<int>(width_), 5});
    for (;;) {
        Job job;
        {
            std::unique_lock lock(mutex_);
            jobs_.wait(lock, [this] { return stop_ || !queue_.empty(); });
            if (stop_) {
                return;
            }
            job = std::move(queue_.front());
            queue_.pop_front();
        }
        auto jpeg =
            media::snapshot::encodeRgba(encoder, job.rgba, job.width, job.height, job.stride);
        if (!jpeg) {
            base::log(base::LogLevel::Warning, "director",
                      "thumbnail of " + job.id + ": " + jpeg.error().message());
            continue;
        }
        {
            std::lock_guard lock(mutex_);
            if (auto it = entries_.find(job.id); it != entries_.end()) {
                it->second.jpeg = std::move(jpeg->jpeg);
                it->second.madeAt = std::chrono::steady_clock::now();
            }
        }
        ready_.notify_all();
    }
}

} // namespace stagecast::director
