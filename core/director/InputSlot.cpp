#include "director/InputSlot.h"

#include "base/Log.h"
#include "director/HubInputSource.h"
#include "director/Layouts.h"
#include "director/Platform.h"
#include "director/SlotFrame.h"
#include "director/TextSource.h"

namespace stagecast::director {

namespace {

constexpr std::uint32_t kSlateColour = 0xff404040; // ABGR: mid-dark grey
constexpr std::uint32_t kTextColour = 0xffffffff;

/// The slate scene: a grey field over the whole canvas with "STANDBY" and the stream name in
/// its lower third (the centre stays plain grey), in a frame so the slot scene draws it directly
/// rather than through a canvas-sized texture. Empty when the modules are missing.
SourceRef makeSlate(const std::string& stream, std::uint32_t width, std::uint32_t height) {
    DataRef colour(obs_data_create());
    obs_data_set_int(colour.get(), "color", kSlateColour);
    obs_data_set_int(colour.get(), "width", width);
    obs_data_set_int(colour.get(), "height", height);
    SourceRef field(obs_source_create_private("color_source_v3", "standby field", colour.get()));
    if (!field) {
        base::log(base::LogLevel::Warning, "director",
                  "input " + stream +
                      ": no standby slate (the colour source of OBS module image-source is "
                      "missing)");
        return {};
    }
    SceneRef slate(obs_scene_create_private(("standby: " + stream).c_str()));
    obs_scene_add(slate.get(), field.get());

    SourceRef label =
        makeTextSource("standby text", "STANDBY  " + stream,
                       TextLook{static_cast<int>(height / 12), true, kTextColour, false});
    if (label) {
        obs_sceneitem_t* item = obs_scene_add(slate.get(), label.get());
        obs_sceneitem_set_alignment(item, OBS_ALIGN_CENTER);
        vec2 pos{};
        vec2_set(&pos, static_cast<float>(width) / 2.0F, static_cast<float>(height) * 0.8F);
        obs_sceneitem_set_pos(item, &pos);
    } else {
        base::log(base::LogLevel::Info, "director",
                  "input " + stream + ": standby slate without text (OBS module " +
                      platform::moduleOfSource(platform::textSourceType()) + " is missing)");
    }
    return makeSlotFrame(slate.get(), ("standby frame: " + stream).c_str());
}

} // namespace

base::Status InputSlot::makeFrame() {
    frame_ = makeSlotFrame(scene_.get(), ("frame: " + stream_).c_str());
    if (!frame_) {
        return base::fail("input " + stream_ + ": its slot frame could not be created");
    }
    return {};
}

base::Result<std::unique_ptr<InputSlot>>
InputSlot::create(const std::string& stream, std::uint32_t width, std::uint32_t height) {
    std::unique_ptr<InputSlot> slot(new InputSlot());
    slot->stream_ = stream;
    DataRef settings(obs_data_create());
    obs_data_set_string(settings.get(), "stream", stream.c_str());
    slot->input_ =
        SourceRef(obs_source_create_private(kHubInputId, stream.c_str(), settings.get()));
    if (!slot->input_ || slot->input() == nullptr) {
        return base::fail("input " + stream + " could not be created");
    }
    slot->scene_ = SceneRef(obs_scene_create_private(("slot: " + stream).c_str()));
    const Box canvas{0, 0, static_cast<float>(width), static_cast<float>(height)};
    // The picture through a straight frame (opaque, no linear-sRGB pass): see SlotFrame.h.
    slot->picture_ = makeStraightPicture(slot->input_.get(), ("picture: " + stream).c_str());
    if (!slot->picture_) {
        return base::fail("input " + stream + ": its picture frame could not be created");
    }
    fitItem(obs_scene_add(slot->scene_.get(), slot->picture_.get()), canvas);
    slot->slate_ = makeSlate(stream, width, height);
    if (slot->slate_) {
        slot->slateItem_ = obs_scene_add(slot->scene_.get(), slot->slate_.get());
        slot->standby_ = true; // until the first pictures arrive
    }
    if (auto ok = slot->makeFrame(); !ok) {
        return base::fail(ok.error());
    }
    return slot;
}

base::Result<std::unique_ptr<InputSlot>>
InputSlot::createLocal(const InputSpec& spec, std::uint32_t width, std::uint32_t height) {
    auto local = LocalSource::create(spec, width, height);
    if (!local) {
        return base::fail("input " + spec.id + ": " + local.error().message());
    }
    std::unique_ptr<InputSlot> slot(new InputSlot());
    slot->stream_ = spec.id;
    slot->local_ = std::move(*local);
    slot->scene_ = SceneRef(obs_scene_create_private(("slot: " + spec.id).c_str()));
    const Box canvas{0, 0, static_cast<float>(width), static_cast<float>(height)};
    fitItem(obs_scene_add(slot->scene_.get(), slot->local_->picture()), canvas);
    slot->slate_ = makeSlate(spec.id, width, height);
    if (slot->slate_) {
        slot->slateItem_ = obs_scene_add(slot->scene_.get(), slot->slate_.get());
        slot->standby_ = slot->state() != "live";
        obs_sceneitem_set_visible(slot->slateItem_, slot->standby_);
    }
    if (auto ok = slot->makeFrame(); !ok) {
        return base::fail(ok.error());
    }
    return slot;
}

InputSlot::~InputSlot() {
    // The scene holds the items; releasing it (then the input) tears the slot down.
    slateItem_ = nullptr;
    backupItem_ = nullptr;
    frame_.reset();
    scene_.reset();
    slate_.reset();
    picture_.reset();
    input_.reset();
    local_.reset();
}

std::string InputSlot::state(std::string* problem) const {
    if (local_) {
        return local_->state(problem);
    }
    auto* hub = input();
    if (hub == nullptr) {
        return "off";
    }
    auto f = hub->figures();
    if (problem != nullptr) {
        *problem = f.lastProblem;
    }
    return toString(f.state);
}

std::optional<bool> InputSlot::supervise() {
    if (local_) {
        local_->tick();
    }
    if (slateItem_ == nullptr || (local_ == nullptr && input() == nullptr)) {
        return std::nullopt;
    }
    const bool want = state() != "live";
    const bool backupNow = want && backupItem_ != nullptr && backupLive_;
    if (want == standby_ && backupNow == showingBackup_) {
        return std::nullopt;
    }
    standby_ = want;
    showingBackup_ = backupNow;
    if (backupItem_ != nullptr) {
        obs_sceneitem_set_visible(backupItem_, backupNow);
    }
    obs_sceneitem_set_visible(slateItem_, want && !backupNow);
    return want;
}

void InputSlot::setBackup(const std::string& id, obs_source_t* slot) {
    if (backupItem_ != nullptr) {
        obs_sceneitem_remove(backupItem_);
        backupItem_ = nullptr;
    }
    backupId_ = slot != nullptr ? id : std::string();
    showingBackup_ = false;
    if (slot == nullptr) {
        if (slateItem_ != nullptr) {
            obs_sceneitem_set_visible(slateItem_, standby_);
        }
        return;
    }
    backupItem_ = obs_scene_add(scene_.get(), slot);
    obs_sceneitem_set_visible(backupItem_, false);
    if (slateItem_ != nullptr) {
        // Below the slate: the slate covers it when both would show.
        obs_sceneitem_set_order(backupItem_, OBS_ORDER_MOVE_DOWN);
    }
}

const char* InputSlot::showing() const {
    if (!standby_) {
        return "input";
    }
    return showingBackup_ ? "backup" : "slate";
}

} // namespace stagecast::director
