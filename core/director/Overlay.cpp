#include "director/Overlay.h"

#include <thread>

#include "director/Layouts.h"

namespace stagecast::director {

namespace {

/// An image source for `spec`, created on a thread of its own that ends at once: loading the
/// image enters libobs' graphics, which leaves OpenGL thread-local state on the calling thread
/// whose destructor lives in the graphics library. Were that an API worker, it would run when
/// the worker exits after libobs (and the library) are gone, and crash.
SourceRef loadImage(const OverlaySpec& spec) {
    SourceRef source;
    std::thread([&source, &spec] {
        DataRef settings(obs_data_create());
        obs_data_set_string(settings.get(), "file", spec.path.c_str());
        source = SourceRef(obs_source_create_private("image_source", ("overlay " + spec.id).c_str(),
                                                     settings.get()));
    }).join();
    return source;
}

} // namespace

OverlayLayer::OverlayLayer(std::uint32_t width, std::uint32_t height)
    : width_(width), height_(height), scene_(obs_scene_create_private("overlay layer")) {
    obs_set_output_source(kOverlayChannel, obs_scene_get_source(scene_.get()));
}

OverlayLayer::~OverlayLayer() {
    obs_set_output_source(kOverlayChannel, nullptr);
    for (auto& i : items_) {
        i.item = nullptr;
    }
    scene_.reset();
    items_.clear();
}

OverlayLayer::Item* OverlayLayer::find(const std::string& id) {
    for (auto& i : items_) {
        if (i.spec.id == id) {
            return &i;
        }
    }
    return nullptr;
}

std::string OverlayLayer::ids() const {
    std::string list;
    for (const auto& i : items_) {
        list += (list.empty() ? "" : ", ") + i.spec.id;
    }
    return list.empty() ? "none" : list;
}

base::Status OverlayLayer::set(const OverlaySpec& spec, obs_source_t* input) {
    if (auto ok = validateOverlay(spec); !ok) {
        return ok;
    }
    Item* existing = find(spec.id);
    if (existing == nullptr && items_.size() >= kMaxOverlays) {
        return base::fail("overlay: at most " + std::to_string(kMaxOverlays) +
                          " items (remove one first)");
    }
    const Box box = toPixels(spec.box, width_, height_);
    Item next;
    next.spec = spec;
    obs_source_t* source = nullptr;
    if (spec.kind == OverlayKind::Image) {
        next.own = loadImage(spec);
        if (!next.own) {
            return base::fail("kind: image overlays need OBS module image-source");
        }
        if (obs_source_get_width(next.own.get()) == 0) {
            return base::fail("path: " + spec.path + " is not an image libobs can read");
        }
        source = next.own.get();
    } else if (spec.kind == OverlayKind::Colour) {
        next.own = makeColourSource(spec.colour, box, ("overlay " + spec.id).c_str());
        if (!next.own) {
            return base::fail("kind: colour overlays need OBS module image-source");
        }
        source = next.own.get();
    } else {
        source = input;
        if (source == nullptr) {
            return base::fail("input: " + spec.input + " is not available");
        }
    }
    next.item = obs_scene_add(scene_.get(), source);
    if (next.item == nullptr) {
        return base::fail("overlay " + spec.id + " could not be added to the overlay scene");
    }
    fitItem(next.item, box);
    obs_sceneitem_set_visible(next.item, spec.on);
    if (existing != nullptr) {
        const auto position = static_cast<int>(existing - items_.data());
        obs_sceneitem_remove(existing->item);
        obs_sceneitem_set_order_position(next.item, position);
        *existing = std::move(next);
    } else {
        items_.push_back(std::move(next));
    }
    return {};
}

base::Status OverlayLayer::show(const std::string& id, bool on) {
    Item* i = find(id);
    if (i == nullptr) {
        return base::fail("id: overlay '" + id + "' is not known (overlays: " + ids() + ")");
    }
    obs_sceneitem_set_visible(i->item, on);
    i->spec.on = on;
    return {};
}

base::Status OverlayLayer::remove(const std::string& id) {
    Item* i = find(id);
    if (i == nullptr) {
        return base::fail("id: overlay '" + id + "' is not known (overlays: " + ids() + ")");
    }
    obs_sceneitem_remove(i->item);
    items_.erase(items_.begin() + (i - items_.data()));
    return {};
}

std::vector<OverlaySpec> OverlayLayer::specs() const {
    std::vector<OverlaySpec> out;
    out.reserve(items_.size());
    for (const auto& i : items_) {
        out.push_back(i.spec);
    }
    return out;
}

} // namespace stagecast::director
