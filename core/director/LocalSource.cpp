#include "director/LocalSource.h"

#include "director/Platform.h"
#include "director/TextSource.h"
#include "director/ToneSource.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <filesystem>

namespace stagecast::director {

namespace {

/// libobs colours are 0xAABBGGRR.
std::uint32_t abgr(std::uint32_t rgb, std::uint32_t alpha = 0xff) {
    return (alpha << 24) | ((rgb & 0xff) << 16) | (rgb & 0xff00) | ((rgb >> 16) & 0xff);
}

SourceRef colourSource(const std::string& name, std::uint32_t argb, std::uint32_t w,
                       std::uint32_t h) {
    DataRef s(obs_data_create());
    obs_data_set_int(s.get(), "color", argb);
    obs_data_set_int(s.get(), "width", w);
    obs_data_set_int(s.get(), "height", h);
    return SourceRef(obs_source_create_private("color_source_v3", name.c_str(), s.get()));
}

SourceRef textSource(const std::string& name, const std::string& text, int size, bool bold,
                     std::uint32_t argb) {
    return makeTextSource(name, text, TextLook{size, bold, argb, true});
}

obs_sceneitem_t* place(obs_scene_t* scene, obs_source_t* source, float x, float y,
                       std::uint32_t alignment = OBS_ALIGN_LEFT | OBS_ALIGN_TOP) {
    obs_sceneitem_t* item = obs_scene_add(scene, source);
    obs_sceneitem_set_alignment(item, alignment);
    vec2 pos{};
    vec2_set(&pos, x, y);
    obs_sceneitem_set_pos(item, &pos);
    return item;
}

base::Status missing(const char* type) {
    return base::fail(std::string("source type ") + type + " is not available (OBS module " +
                      platform::moduleOfSource(type) + " is not loaded)");
}

} // namespace

base::Result<std::unique_ptr<LocalSource>>
LocalSource::create(const InputSpec& spec, std::uint32_t width, std::uint32_t height) {
    std::unique_ptr<LocalSource> out(new LocalSource());
    out->spec_ = spec;
    const auto w = static_cast<float>(width);
    const auto h = static_cast<float>(height);
    DataRef s(obs_data_create());
    const char* type = nullptr;
    switch (spec.kind) {
    case InputKind::Media:
        type = "ffmpeg_source";
        obs_data_set_bool(s.get(), "is_local_file", true);
        obs_data_set_string(s.get(), "local_file", spec.file.c_str());
        obs_data_set_bool(s.get(), "looping", spec.loop);
        obs_data_set_bool(s.get(), "restart_on_activate", false);
        obs_data_set_bool(s.get(), "close_when_inactive", false);
        obs_data_set_bool(s.get(), "clear_on_media_end", true);
        obs_data_set_bool(s.get(), "hw_decode", false);
        out->main_ = SourceRef(obs_source_create_private(type, spec.id.c_str(), s.get()));
        break;
    case InputKind::Image:
        type = "image_source";
        obs_data_set_string(s.get(), "file", spec.file.c_str());
        out->main_ = SourceRef(obs_source_create_private(type, spec.id.c_str(), s.get()));
        break;
    case InputKind::Color:
        type = "color_source_v3";
        out->main_ = colourSource(spec.id, abgr(spec.color), width, height);
        break;
    case InputKind::Capture: {
        const platform::CaptureProbe* probe = platform::captureProbe(spec.capture);
        if (probe == nullptr) { // InputSpec allows only the kinds every platform has
            return base::fail("capture '" + spec.capture + "' is unknown on this system");
        }
        type = probe->source;
        if (probe->intDevice) {
            int number = 0; // InputSpec checked the digits
            std::from_chars(spec.device.data(), spec.device.data() + spec.device.size(), number);
            obs_data_set_int(s.get(), probe->property, number);
        } else {
            const bool byDefault = spec.device.empty() && spec.capture != "window";
            obs_data_set_string(s.get(), probe->property,
                                byDefault ? "default" : spec.device.c_str());
        }
        out->main_ = SourceRef(obs_source_create_private(type, spec.id.c_str(), s.get()));
        break;
    }
    case InputKind::Pattern: {
        type = "color_source_v3";
        static constexpr std::uint32_t kBars[] = {0xc0c0c0, 0xc0c000, 0x00c0c0, 0x00c000,
                                                  0xc000c0, 0xc00000, 0x0000c0};
        out->scene_ = SceneRef(obs_scene_create_private(spec.id.c_str()));
        const std::uint32_t bar = (width + 6) / 7;
        for (std::size_t i = 0; i < std::size(kBars); ++i) {
            auto c = colourSource(spec.id + " bar", abgr(kBars[i]), bar, height);
            if (!c) {
                return base::fail(missing(type).error());
            }
            place(out->scene_.get(), c.get(), static_cast<float>(i * bar), 0);
            out->parts_.push_back(std::move(c));
        }
        if (spec.toneHz > 0) {
            DataRef t(obs_data_create());
            obs_data_set_double(t.get(), "frequency", spec.toneHz);
            obs_data_set_double(t.get(), "level_db", spec.toneDb);
            out->tone_ = SourceRef(obs_source_create_private(kToneId, spec.id.c_str(), t.get()));
            if (!out->tone_) {
                return base::fail("the line-up tone could not be created");
            }
            obs_scene_add(out->scene_.get(), out->tone_.get());
        }
        break;
    }
    case InputKind::Text: {
        type = platform::textSourceType();
        out->scene_ = SceneRef(obs_scene_create_private(spec.id.c_str()));
        const bool ticker = spec.mode == "ticker";
        const auto size = static_cast<int>(height / (ticker ? 14 : 8));
        const std::string first = ticker || spec.mode == "static" ? spec.text : out->timeText();
        out->main_ = textSource(spec.id, first, size, true, abgr(spec.color));
        if (!out->main_) {
            break;
        }
        out->shownText_ = first;
        if (ticker) {
            auto band = colourSource(spec.id + " band", abgr(0x101010, 0xc0), width, height / 10);
            place(out->scene_.get(), band.get(), 0, h - static_cast<float>(height / 10));
            out->parts_.push_back(std::move(band));
            DataRef scroll(obs_data_create());
            obs_data_set_double(scroll.get(), "speed_x", 120.0);
            obs_data_set_bool(scroll.get(), "limit_cx", true);
            obs_data_set_int(scroll.get(), "cx", width);
            SourceRef filter(
                obs_source_create_private("scroll_filter", "ticker scroll", scroll.get()));
            if (!filter) {
                return base::fail(missing("scroll_filter").error().message() +
                                  " (scroll_filter is in obs-filters)");
            }
            obs_source_filter_add(out->main_.get(), filter.get());
            out->parts_.push_back(std::move(filter));
            place(out->scene_.get(), out->main_.get(), 0, h - static_cast<float>(height / 20),
                  OBS_ALIGN_LEFT);
        } else {
            place(out->scene_.get(), out->main_.get(), w / 2, h / 2, OBS_ALIGN_CENTER);
        }
        break;
    }
    case InputKind::LowerThird: {
        type = platform::textSourceType();
        out->scene_ = SceneRef(obs_scene_create_private(spec.id.c_str()));
        const float x = w * 0.06F;
        const float y = h * 0.72F;
        auto bar = colourSource(spec.id + " bar", abgr(spec.color, 0xe8),
                                static_cast<std::uint32_t>(w * 0.6F),
                                static_cast<std::uint32_t>(h * 0.17F));
        auto accent = colourSource(spec.id + " accent", abgr(0xf0b400), width / 100,
                                   static_cast<std::uint32_t>(h * 0.17F));
        out->main_ = textSource(spec.id + " name", spec.text, static_cast<int>(height / 14), true,
                                abgr(0xffffff));
        auto title = textSource(spec.id + " title", spec.title, static_cast<int>(height / 22),
                                false, abgr(0xdddddd));
        if (!bar || !accent || !out->main_ || !title) {
            return base::fail(missing(!bar ? "color_source_v3" : type).error());
        }
        place(out->scene_.get(), bar.get(), x, y);
        place(out->scene_.get(), accent.get(), x, y);
        place(out->scene_.get(), out->main_.get(), x + w * 0.03F, y + h * 0.02F);
        place(out->scene_.get(), title.get(), x + w * 0.03F, y + h * 0.105F);
        out->parts_.push_back(std::move(bar));
        out->parts_.push_back(std::move(accent));
        out->parts_.push_back(std::move(title));
        break;
    }
    }
    if (!out->main_ && !out->scene_) {
        return base::fail(missing(type).error());
    }
    if (spec.kind != InputKind::Pattern && !out->main_) {
        return base::fail(missing(type).error());
    }
    if (!spec.file.empty()) {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(spec.file, ec)) {
            out->createProblem_ = "file " + spec.file + " does not exist";
        }
    }
    return out;
}

LocalSource::~LocalSource() {
    scene_.reset();
    tone_.reset();
    parts_.clear();
    main_.reset();
}

obs_source_t* LocalSource::picture() const {
    return scene_ ? obs_scene_get_source(scene_.get()) : main_.get();
}

std::uint32_t LocalSource::width() const {
    return obs_source_get_width(main_ ? main_.get() : picture());
}

std::uint32_t LocalSource::height() const {
    return obs_source_get_height(main_ ? main_.get() : picture());
}

std::string LocalSource::state(std::string* problem) const {
    const auto off = [problem](std::string why) {
        if (problem != nullptr) {
            *problem = std::move(why);
        }
        return std::string("off");
    };
    if (!createProblem_.empty()) {
        return off(createProblem_);
    }
    switch (spec_.kind) {
    case InputKind::Media:
        switch (obs_source_media_get_state(main_.get())) {
        case OBS_MEDIA_STATE_PLAYING:
        case OBS_MEDIA_STATE_OPENING:
        case OBS_MEDIA_STATE_BUFFERING:
        case OBS_MEDIA_STATE_PAUSED:
            return "live";
        case OBS_MEDIA_STATE_ENDED:
            return off("the file played to its end");
        case OBS_MEDIA_STATE_ERROR:
            return off("the file could not be played (see the log)");
        default:
            return off("not playing");
        }
    case InputKind::Image:
        return width() > 0 ? "live" : off("the image could not be read");
    case InputKind::Capture:
        if (spec_.capture == "microphone" || spec_.capture == "desktop_audio") {
            return "live";
        }
        return width() > 0 ? "live" : off("no picture from the " + spec_.capture + " yet");
    default:
        return "live";
    }
}

std::string LocalSource::timeText() const {
    const auto now = std::chrono::system_clock::now();
    const std::time_t t = std::chrono::system_clock::to_time_t(now);
    std::tm local{};
    localtime_r(&t, &local);
    char buffer[32];
    if (spec_.mode == "clock") {
        std::strftime(buffer, sizeof buffer, "%H:%M:%S", &local);
        return buffer;
    }
    std::int64_t left = 0;
    if (spec_.seconds > 0) {
        left = spec_.seconds -
               std::chrono::duration_cast<std::chrono::seconds>(now - created_).count();
    } else {
        std::tm target = local;
        int hh = 0;
        int mm = 0;
        int ss = 0;
        std::sscanf(spec_.until.c_str(), "%d:%d:%d", &hh, &mm, &ss);
        target.tm_hour = hh;
        target.tm_min = mm;
        target.tm_sec = ss;
        left = static_cast<std::int64_t>(std::difftime(std::mktime(&target), t));
        if (left < 0 && left > -12 * 3600) {
            left = 0; // passed today: stays at zero
        } else if (left < 0) {
            left += 24 * 3600;
        }
    }
    left = std::max<std::int64_t>(left, 0);
    std::snprintf(buffer, sizeof buffer, "%02lld:%02lld:%02lld",
                  static_cast<long long>(left / 3600), static_cast<long long>(left / 60 % 60),
                  static_cast<long long>(left % 60));
    return buffer;
}

void LocalSource::tick() {
    if (spec_.kind != InputKind::Text || (spec_.mode != "clock" && spec_.mode != "countdown")) {
        return;
    }
    auto text = timeText();
    if (text == shownText_) {
        return;
    }
    shownText_ = text;
    setText(main_.get(), text);
}

} // namespace stagecast::director
