#pragma once
/// Saved layouts: the operator's named shots, prepared before the show ("welcome",
/// "panel-2x2", "ceo-slides") and recalled into preview by name, each with an optional
/// transition that Auto uses when it takes that layout to program (OBS's per-scene
/// transition override). Kept in the scene collection. Plain values, no libobs.
///
/// Thread: used under the director's lock.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/Result.h"
#include "director/DirectorTypes.h"
#include "director/TransitionSpec.h"

namespace stagecast::director {

inline constexpr std::size_t kMaxSavedLayouts = 64;

struct SavedLayout {
    std::string name; // letters, digits, '-', '_', '.', 1..64
    LayoutSpec layout;
    /// Auto into this layout uses it instead of the configured transition (nullopt: the
    /// configured one). The T-bar always uses the configured one.
    std::optional<TransitionSpec> transition;

    bool operator==(const SavedLayout&) const = default;
};

/// Whether `name` may name a saved layout; the message says what is allowed.
base::Status validateLayoutName(std::string_view name);

/// {"name":..., "layout":{...LayoutJson...}, "transition":{...}|absent}
nlohmann::json toJson(const SavedLayout& saved);
/// Parses a saved layout; `name` (from the URL) wins over a "name" in the body when not
/// empty. Checks the name, the layout's fields and ranges, and the transition's fields; the
/// message names the field ("layout.slots[1].w: ...", "transition.type: ...").
base::Result<SavedLayout> savedLayoutFromJson(const nlohmann::json& j, std::string_view name);

class SavedLayouts {
public:
    /// Adds `saved`, or replaces the one with its name in place. Fails past kMaxSavedLayouts.
    base::Status put(SavedLayout saved);
    /// Fails naming the layouts there are when `name` is not one of them.
    base::Status remove(const std::string& name);
    const SavedLayout* find(const std::string& name) const;
    const std::vector<SavedLayout>& list() const { return list_; }
    /// "a, b, c" or "none yet", for messages.
    std::string names() const;

private:
    std::vector<SavedLayout> list_; // in the order they were first saved
};

} // namespace stagecast::director
