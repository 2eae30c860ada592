#pragma once
/// Small JPEGs of inputs as rendered, made only for inputs someone asks for. A libobs tick
/// callback (graphics thread) renders one requested input's slot into a 320 px wide texture
/// and stages it; on a later tick the staged pixels are copied out and a worker thread
/// encodes them (core/media's JPEG encoder), so the render thread never waits for a read-back
/// or an encode. An input's JPEG is made again at most every `refresh`.
///
/// Threads: get() from any thread (it waits for a fresh picture, never under the director's
/// lock); the tick callback on libobs' graphics thread; one encoder thread.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/Result.h"
#include "director/ObsHandles.h"

namespace stagecast::director {

class Thumbnails {
public:
    Thumbnails(std::uint32_t canvasWidth, std::uint32_t canvasHeight,
               std::chrono::milliseconds refresh = std::chrono::milliseconds(2000));
    ~Thumbnails();
    Thumbnails(const Thumbnails&) = delete;
    Thumbnails& operator=(const Thumbnails&) = delete;

    /// A JPEG of `source` (the input `id`'s slot) at most `refresh` old, waiting up to `wait`
    /// for one to be made. Fails when none could be made in time.
    base::Result<std::vector<std::uint8_t>> get(const std::string& id, SourceRef source,
                                                std::chrono::milliseconds wait);
    /// Drops the input (it was removed).
    void forget(const std::string& id);

private:
    struct Entry {
        SourceRef source;
        std::vector<std::uint8_t> jpeg;
        std::chrono::steady_clock::time_point madeAt{};
        bool wanted = false;
    };
    struct Job {
        std::string id;
        std::vector<std::uint8_t> rgba;
        int width = 0;
        int height = 0;
        int stride = 0;
    };
    static void onTick(void* self, float seconds);
    void tick();
    void encodeLoop();

    const std::uint32_t width_;
    const std::uint32_t height_;
    const std::uint32_t canvasWidth_;
    const std::uint32_t canvasHeight_;
    const std::chrono::milliseconds refresh_;

    std::mutex mutex_;
    std::condition_variable ready_; // a JPEG was made
    std::condition_variable jobs_;  // a job for the encoder
    std::map<std::string, Entry> entries_;
    std::deque<Job> queue_;
    bool stop_ = false;

    // Graphics thread only.
    gs_texrender_t* texrender_ = nullptr;
    gs_stagesurf_t* stage_ = nullptr;
    std::string staged_; // the id whose pixels are in stage_, empty when none

    std::thread encoder_;
};

} // namespace stagecast::director
