#include "director/SavedLayouts.h"

#include <algorithm>

#include "director/LayoutJson.h"
#include "director/TransitionJson.h"

namespace stagecast::director {

using nlohmann::json;

base::Status validateLayoutName(std::string_view name) {
    const bool ok =
        !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '-' || c == '_' || c == '.';
        });
    if (!ok) {
        return base::fail("name '" + std::string(name.substr(0, 80)) +
                          "': 1 to 64 letters, digits, '-', '_' or '.'");
    }
    return {};
}

json toJson(const SavedLayout& saved) {
    LayoutSpec layout = saved.layout;
    layout.name.clear(); // the saved layout's own name is said once, at the top
    json j{{"name", saved.name}, {"layout", layoutToJson(layout)}};
    if (saved.transition) {
        j["transition"] = toJson(*saved.transition);
    }
    return j;
}

base::Result<SavedLayout> savedLayoutFromJson(const json& j, std::string_view name) {
    if (!j.is_object()) {
        return base::fail("a saved layout must be an object with \"layout\"");
    }
    SavedLayout saved;
    if (!name.empty()) {
        saved.name = std::string(name);
    } else if (auto n = j.find("name"); n != j.end() && n->is_string()) {
        saved.name = n->get<std::string>();
    }
    if (auto ok = validateLayoutName(saved.name); !ok) {
        return base::fail(ok.error());
    }
    auto layout = j.find("layout");
    if (layout == j.end()) {
        return base::fail("layout: required, e.g. {\"input\":\"live/cam\"} or "
                          "{\"layout\":\"2x2\",\"slots\":[...]}");
    }
    auto parsed = layoutFromJson(*layout);
    if (!parsed) {
        return base::fail("layout: " + parsed.error().message());
    }
    if (auto ok = validate(*parsed); !ok) {
        return base::fail("layout: " + ok.error().message());
    }
    saved.layout = std::move(*parsed);
    saved.layout.name = saved.name;
    if (auto t = j.find("transition"); t != j.end() && !t->is_null()) {
        auto transition = transitionFromJson(*t);
        if (!transition) {
            return base::fail("transition: " + transition.error().message());
        }
        saved.transition = std::move(*transition);
    }
    return saved;
}

base::Status SavedLayouts::put(SavedLayout saved) {
    auto it = std::find_if(list_.begin(), list_.end(),
                           [&](const SavedLayout& s) { return s.name == saved.name; });
    if (it != list_.end()) {
        *it = std::move(saved);
        return {};
    }
    if (list_.size() >= kMaxSavedLayouts) {
        return base::fail("at most " + std::to_string(kMaxSavedLayouts) +
                          " saved layouts: remove one first");
    }
    list_.push_back(std::move(saved));
    return {};
}

base::Status SavedLayouts::remove(const std::string& name) {
    auto it = std::find_if(list_.begin(), list_.end(),
                           [&](const SavedLayout& s) { return s.name == name; });
    if (it == list_.end()) {
        return base::fail("layout '" + name + "' is not saved (saved: " + names() + ")");
    }
    list_.erase(it);
    return {};
}

const SavedLayout* SavedLayouts::find(const std::string& name) const {
    auto it = std::find_if(list_.begin(), list_.end(),
                           [&](const SavedLayout& s) { return s.name == name; });
    return it == list_.end() ? nullptr : &*it;
}

std::string SavedLayouts::names() const {
    std::string out;
    for (const auto& s : list_) {
        out += (out.empty() ? "" : ", ") + s.name;
    }
    return out.empty() ? "none yet" : out;
}

} // namespace stagecast::director
