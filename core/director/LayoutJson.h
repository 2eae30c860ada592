#pragma once
/// Layouts, overlay items (and an input's sync offset) as JSON, one form for the API and the
/// scene collection:
///
///   {"input":"live/cam"}                                   full (short form, read only)
///   {"layout":"full","main":"live/cam"}
///   {"layout":"pip","main":"live/a","inset":"live/b","corner":"top-right","size":0.3,
///    "margin":32,"border":4,"border_color":"#FFFFFF"}
///   {"layout":"2x2","slots":["live/a","live/b",null,{"input":"live/d"}]}  (side-by-side,
///    2x2, 1+3: inputs in slot order, null or "" for an empty (black) slot)
///   {"layout":"custom","slots":[{"input":"live/a","x":0.1,"y":0.1,"w":0.3,"h":0.4}, ...]}
///
/// Written layouts carry every slot with its box, and "name" when recalled from a saved
/// layout (SavedLayouts.h). Overlay items:
///
///   {"id":"logo","kind":"image","path":"/srv/logo.png","x":0.85,"y":0.05,"w":0.1,"h":0.1,
///    "on":true}   kind image (path), input (input), colour (colour "#RRGGBB"/"#AARRGGBB")
///
/// Parsing checks every field and names it in the error ("slots[2].w: ...").

#include <nlohmann/json.hpp>

#include "base/Result.h"
#include "director/DirectorTypes.h"

namespace stagecast::director {

nlohmann::json layoutToJson(const LayoutSpec& spec);
base::Result<LayoutSpec> layoutFromJson(const nlohmann::json& j);

/// An input's `sync_offset_ms` as the API and the scene collection take it: whole milliseconds
/// in range (syncOffsetProblem's message otherwise).
base::Result<int> syncOffsetFromJson(const nlohmann::json& value);

/// The multiview settings: {"on":true,"stream":"live/multiview","width":1280,"height":720,
/// "fps":10,"bitrate_kbps":1500}; parsing starts from `base` (fields left out keep its
/// values) and names a field of the wrong type. Ranges are checked when it starts.
nlohmann::json multiviewToJson(const MultiviewSettings& settings);
base::Result<MultiviewSettings> multiviewFromJson(const nlohmann::json& j,
                                                  const MultiviewSettings& base);

nlohmann::json overlayToJson(const OverlaySpec& overlay);
/// A full overlay definition (kind required); the image file is checked to exist.
base::Result<OverlaySpec> overlayFromJson(const nlohmann::json& j);

} // namespace stagecast::director
