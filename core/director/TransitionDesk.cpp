#include "director/TransitionDesk.h"

#include <algorithm>
#include <filesystem>
#include <thread>

#include "base/Log.h"
#include "director/Engine.h"

namespace stagecast::director {

namespace {

constexpr const char* kModule = "obs-transitions";

/// The module's luma images (luma_wipes/NAME.png), names without ".png", sorted.
std::vector<std::string> listLumaImages() {
    std::string data;
    if (obs_module_t* module = obs_get_module(kModule)) {
        if (const char* path = obs_get_module_data_path(module); path != nullptr) {
            data = path;
        }
    }
    std::vector<std::string> names;
    if (data.empty()) {
        base::log(base::LogLevel::Warning, "director",
                  std::string("OBS module ") + kModule + " is not loaded: no luma wipes");
        return names;
    }
    std::error_code ec;
    for (const auto& entry :
         std::filesystem::directory_iterator(std::filesystem::path(data) / "luma_wipes", ec)) {
        const auto& p = entry.path();
        if (p.extension() == ".png") {
            names.push_back(p.stem().string());
        }
    }
    std::sort(names.begin(), names.end());
    if (names.empty()) {
        base::log(base::LogLevel::Warning, "director",
                  "no luma images found in " + data + "/luma_wipes: luma wipes are unavailable");
    }
    return names;
}

/// 0xRRGGBB to libobs' 0xAABBGGRR, opaque.
long long abgr(std::uint32_t rgb) {
    const std::uint32_t r = (rgb >> 16) & 0xff;
    const std::uint32_t g = (rgb >> 8) & 0xff;
    const std::uint32_t b = rgb & 0xff;
    return static_cast<long long>(0xff000000U | (b << 16) | (g << 8) | r);
}

/// How long a new stinger may take to open its clip before it is refused.
constexpr std::chrono::milliseconds kStingerOpenLimit{4000};

/// The stinger's clip (the ffmpeg_source inside the transition) has been opened: libobs
/// knows its duration. The stinger reads the duration when a take starts; before the clip is
/// open it reads 0 and the take ends at once, without the clip. So a stinger is not handed
/// out until its clip is open.
bool stingerClipOpen(obs_source_t* transition) {
    bool open = false;
    obs_source_enum_full_tree(
        transition,
        [](obs_source_t*, obs_source_t* child, void* param) {
            const char* id = obs_source_get_id(child);
            if (id != nullptr && std::string_view(id) == "ffmpeg_source" &&
                obs_source_media_get_duration(child) > 0) {
                *static_cast<bool*>(param) = true;
            }
        },
        &open);
    return open;
}

base::Status waitForStingerClip(obs_source_t* transition, const std::string& path) {
    const auto until = std::chrono::steady_clock::now() + kStingerOpenLimit;
    while (!stingerClipOpen(transition)) {
        if (std::chrono::steady_clock::now() >= until) {
            return base::fail("path: " + path + " could not be opened as a video clip (libobs " +
                              "found no duration in " +
                              std::to_string(kStingerOpenLimit.count() / 1000) + " s)");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return {};
}

} // namespace

TransitionDesk::TransitionDesk(std::chrono::milliseconds duration) : lumaImages_(listLumaImages()) {
    spec_.duration = duration;
    if (auto built = build(spec_)) {
        source_ = std::move(*built);
    } else {
        base::log(base::LogLevel::Warning, "director", built.error().message());
    }
}

base::Status TransitionDesk::configure(const TransitionSpec& spec) {
    auto built = make(spec);
    if (!built) {
        return base::fail(built.error());
    }
    adopt(spec, std::move(*built));
    return {};
}

base::Status TransitionDesk::restore(const std::optional<TransitionSpec>& saved) {
    return saved ? configure(*saved) : base::Status{};
}

base::Result<SourceRef> TransitionDesk::make(const TransitionSpec& spec) const {
    if (auto ok = validate(spec, lumaImages_); !ok) {
        return base::fail(ok.error());
    }
    return build(spec);
}

void TransitionDesk::adopt(const TransitionSpec& spec, SourceRef source) {
    spec_ = spec;
    source_ = std::move(source);
    base::log(base::LogLevel::Info, "director",
              std::string("transition: ") + toString(spec.type) + ", " +
                  std::to_string(spec.duration.count()) + " ms");
}

void TransitionDesk::prepare(Studio& studio, SourceRef oneOff) {
    studio.useTransition(oneOff ? std::move(oneOff) : shareSource(source_.get()));
}

base::Result<TbarMove> TransitionDesk::moveTbar(Studio& studio, double position, SourceRef oneOff) {
    if (!(position >= 0.0 && position <= 1.0)) {
        return base::fail("position: " + std::to_string(position) + " is out of range 0..1");
    }
    if (studio.tbarPosition() <= 0.0 && position > 0.0) {
        prepare(studio, std::move(oneOff));
    }
    auto move = studio.moveTbar(position);
    if (move && move->completed) {
        base::log(base::LogLevel::Info, "director",
                  "t-bar: take complete, program = " + studio.program()->main);
    } else if (move && move->cancelled) {
        base::log(base::LogLevel::Info, "director", "t-bar: back to 0, take cancelled");
    }
    return move;
}

base::Result<SourceRef> TransitionDesk::build(const TransitionSpec& s) const {
    const char* id = obsTransitionId(s.type);
    if (!Engine::hasSourceType(id)) {
        return base::fail(std::string("transition type '") + toString(s.type) +
                          "' is not available: libobs has no " + id + " (OBS module " + kModule +
                          " is missing or lacks it)");
    }
    DataRef settings(obs_data_create());
    auto* d = settings.get();
    switch (s.type) {
    case TransitionType::Swipe:
        obs_data_set_string(d, "direction", s.direction.c_str());
        obs_data_set_bool(d, "swipe_in", false);
        break;
    case TransitionType::Slide:
        obs_data_set_string(d, "direction", s.direction.c_str());
        break;
    case TransitionType::FadeToColour:
        obs_data_set_int(d, "color", abgr(s.colour));
        obs_data_set_int(d, "switch_point", s.switchPoint);
        break;
    case TransitionType::LumaWipe:
        obs_data_set_string(d, "luma_image", (s.image + ".png").c_str());
        obs_data_set_double(d, "luma_softness", s.softness);
        obs_data_set_bool(d, "luma_invert", s.invert);
        break;
    case TransitionType::Stinger:
        obs_data_set_string(d, "path", s.path.c_str());
        obs_data_set_int(d, "transition_point", s.transitionPointMs);
        obs_data_set_int(d, "tp_type", 0);          // a time in ms
        obs_data_set_int(d, "audio_fade_style", 1); // cross-fade under the stinger
        obs_data_set_bool(d, "track_matte_enabled", obsMatteLayout(s.matte) >= 0);
        obs_data_set_int(d, "track_matte_layout", std::max(obsMatteLayout(s.matte), 0));
        obs_data_set_bool(d, "invert_matte", s.invertMatte);
        break;
    case TransitionType::Cut:
    case TransitionType::Fade:
        break;
    }
    SourceRef source(
        obs_source_create_private(id, (std::string("program ") + toString(s.type)).c_str(), d));
    if (!source) {
        return base::fail(std::string("transition type '") + toString(s.type) + "' (" + id +
                          ") could not be created (see the log)");
    }
    if (s.type == TransitionType::Stinger) {
        if (auto open = waitForStingerClip(source.get(), s.path); !open) {
            return base::fail(open.error());
        }
    }
    return source;
}

} // namespace stagecast::director
