#pragma once
/// The overlay layer (vMix's overlay channels, OBS's downstream keyer): an ordered list of
/// items drawn over whatever the studio shows, each shown or hidden on its own. It is a
/// private scene on its own libobs output channel (kOverlayChannel), which libobs renders
/// after channel 0 (the studio's transition) into the same canvas: the program encoder sees
/// it, and Cut and Auto, which only touch the transition, never redraw or flicker it.
///
/// Items: an image file (image_source), a colour box (color_source_v3), or any source the
/// caller hands in for an input (today an InputSlot's scene; other input kinds plug in the
/// same way: the director resolves OverlaySpec::input to a source, see Director.cpp).
///
/// Thread: used under the director's lock.

#include <memory>
#include <string>
#include <vector>

#include "base/Result.h"
#include "director/LayoutGeometry.h"
#include "director/ObsHandles.h"
#include "director/SlotTypes.h"

namespace stagecast::director {

inline constexpr std::uint32_t kOverlayChannel = 10;

class OverlayLayer {
public:
    /// Puts the (empty) overlay scene on kOverlayChannel of a `width` x `height` canvas.
    OverlayLayer(std::uint32_t width, std::uint32_t height);
    ~OverlayLayer(); // takes the scene off its channel
    OverlayLayer(const OverlayLayer&) = delete;
    OverlayLayer& operator=(const OverlayLayer&) = delete;

    /// Adds `spec` on top, or replaces the item with its id in place. `input` is the source
    /// of an Input overlay (ignored otherwise). Fails naming the field: an image libobs cannot
    /// read, a missing module, too many items.
    base::Status set(const OverlaySpec& spec, obs_source_t* input);
    /// Shows or hides an item. Fails when the id is unknown (naming the ids there are).
    base::Status show(const std::string& id, bool on);
    base::Status remove(const std::string& id);
    /// The items, bottom to top.
    std::vector<OverlaySpec> specs() const;
    std::string ids() const; // "logo, box" or "none"
    /// The layer's scene, for another mix to draw it too (the preview output).
    obs_source_t* source() const { return obs_scene_get_source(scene_.get()); }

private:
    struct Item {
        OverlaySpec spec;
        SourceRef own;                   // the image or colour source (Input: empty)
        obs_sceneitem_t* item = nullptr; // owned by scene_
    };
    Item* find(const std::string& id);

    std::uint32_t width_;
    std::uint32_t height_;
    SceneRef scene_;
    std::vector<Item> items_;
};

} // namespace stagecast::director
