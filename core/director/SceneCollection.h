#pragma once
/// The director's scene collection: which inputs exist with their audio settings, what is
/// in preview and on program, Auto's default fade and the overlay layer, saved as versioned JSON in
/// the data folder (DATA/director/scenes.json) after every change and restored at start.
///
/// Loading is forgiving per entry: a bad input or layout is reported by name ("inputs[2]:
/// stream: ...") and left out while the rest loads. A file that is not JSON, or from a newer
/// version, is refused as a whole with the reason. No libobs; pure functions + file I/O.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/Result.h"
#include "director/DirectorTypes.h"
#include "director/InputSpec.h"
#include "director/SavedLayouts.h"

namespace stagecast::director {

/// 2: layouts with slots (side-by-side, 2x2, 1+3, custom), pip borders, overlays. 3: saved
/// layouts ("layouts") and the name of a recalled one in preview/program. Version 1 and 2
/// files read unchanged.
inline constexpr int kCollectionVersion = 3;

struct InputSettings {
    std::string stream;
    double volume = 1.0;
    bool muted = false;
    std::string backup;      // stands in while the input is not live (empty: the slate)
    bool followVideo = true; // false: always in the program mix
    bool monitor = false;
    int syncOffsetMs = 0; // kMinSyncOffsetMs..kMaxSyncOffsetMs, on top of a hub input's own

    bool operator==(const InputSettings&) const = default;
};

struct SceneCollection {
    std::vector<InputSettings> inputs;
    std::optional<LayoutSpec> preview;
    std::optional<LayoutSpec> program;
    std::chrono::milliseconds transition{1000};
    /// Director-defined inputs ("sources": InputSpec objects; absent in older files).
    std::vector<InputSpec> sources;
    std::vector<OverlaySpec> overlays; // bottom to top
    /// Auto's and the T-bar's transition ("transition"; absent in older files: a fade).
    std::optional<TransitionSpec> transitionSpec;
    /// The operator's saved layouts ("layouts"; absent in older files).
    std::vector<SavedLayout> layouts;
    /// The multiview stream ("multiview"; absent in older files: off).
    MultiviewSettings multiview;

    bool operator==(const SceneCollection&) const = default;
};

struct LoadedCollection {
    SceneCollection collection;
    /// Entries left out, each naming where and why.
    std::vector<std::string> problems;
};

std::string toJson(const SceneCollection& collection);
base::Result<LoadedCollection> parseCollection(std::string_view json);

/// Writes through a temporary file and a rename, so a crash leaves the old or the new file.
base::Status saveCollection(const std::filesystem::path& file, const SceneCollection& collection);
/// A missing file is an empty collection (no problems).
base::Result<LoadedCollection> loadCollection(const std::filesystem::path& file);

} // namespace stagecast::director
