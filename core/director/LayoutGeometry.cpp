#include "director/LayoutGeometry.h"
#include "director/InputSpec.h"

#include <algorithm>

#include "stream/StreamKey.h"

namespace stagecast::director {

namespace {

constexpr std::uint32_t kBlack = 0xff000000;

} // namespace

bool usesSlots(LayoutKind kind) {
    return kind == LayoutKind::SideBySide || kind == LayoutKind::Grid2x2 ||
           kind == LayoutKind::OnePlusThree || kind == LayoutKind::Custom;
}

std::size_t maxSlots(LayoutKind kind) {
    switch (kind) {
    case LayoutKind::Full:
        return 1;
    case LayoutKind::PictureInPicture:
    case LayoutKind::SideBySide:
        return 2;
    case LayoutKind::Grid2x2:
    case LayoutKind::OnePlusThree:
        return 4;
    case LayoutKind::Custom:
        return kMaxSlots;
    }
    return 0;
}

std::vector<SlotBox> presetBoxes(LayoutKind kind) {
    constexpr double kThird = 1.0 / 3.0;
    switch (kind) {
    case LayoutKind::SideBySide:
        return {{0, 0, 0.5, 1}, {0.5, 0, 0.5, 1}};
    case LayoutKind::Grid2x2:
        return {{0, 0, 0.5, 0.5}, {0.5, 0, 0.5, 0.5}, {0, 0.5, 0.5, 0.5}, {0.5, 0.5, 0.5, 0.5}};
    case LayoutKind::OnePlusThree:
        return {{0, 0, 0.75, 1},
                {0.75, 0, 0.25, kThird},
                {0.75, kThird, 0.25, kThird},
                {0.75, 2 * kThird, 0.25, 1 - 2 * kThird}};
    default:
        return {};
    }
}

LayoutSpec normalised(LayoutSpec spec) {
    const auto boxes = presetBoxes(spec.kind);
    if (boxes.empty()) {
        return spec;
    }
    if (spec.slotList.size() < boxes.size()) {
        spec.slotList.resize(boxes.size());
    }
    for (std::size_t i = 0; i < boxes.size() && i < spec.slotList.size(); ++i) {
        spec.slotList[i].box = boxes[i];
    }
    return spec;
}

base::Status validateSlots(const LayoutSpec& spec) {
    const std::size_t most = maxSlots(spec.kind);
    if (spec.slotList.size() > most) {
        return base::fail("slots: " + std::string(toString(spec.kind)) + " takes at most " +
                          std::to_string(most) + " inputs (" +
                          std::to_string(spec.slotList.size()) + " given)");
    }
    if (spec.kind == LayoutKind::Custom && spec.slotList.empty()) {
        return base::fail("slots: custom needs 1.." + std::to_string(most) + " slots");
    }
    for (std::size_t i = 0; i < spec.slotList.size(); ++i) {
        const std::string field = "slots[" + std::to_string(i) + "]";
        const auto& slot = spec.slotList[i];
        if (!slot.input.empty()) {
            if (auto key = stream::StreamKey::parse(slot.input);
                !key && !isLocalInputId(slot.input)) {
                return base::fail(field + ".input: " + key.error().message());
            }
        }
        if (spec.kind == LayoutKind::Custom) {
            if (auto ok = validateBox(slot.box, field); !ok) {
                return ok;
            }
        }
    }
    return {};
}

std::optional<LayoutSpec> withoutInput(LayoutSpec spec, const std::string& input) {
    const auto shown = inputsOf(spec);
    if (std::find(shown.begin(), shown.end(), input) == shown.end()) {
        return spec;
    }
    spec.name.clear(); // no longer the saved layout it was recalled from
    if (usesSlots(spec.kind)) {
        for (auto& slot : spec.slotList) {
            if (slot.input == input) {
                slot.input.clear();
            }
        }
        return spec;
    }
    if (spec.main == input) {
        return std::nullopt;
    }
    spec.kind = LayoutKind::Full; // it was picture-in-picture's inset
    spec.inset.clear();
    return spec;
}

std::vector<std::string> inputsOf(const LayoutSpec& spec) {
    std::vector<std::string> out;
    const auto add = [&out](const std::string& name) {
        if (!name.empty() && std::find(out.begin(), out.end(), name) == out.end()) {
            out.push_back(name);
        }
    };
    if (usesSlots(spec.kind)) {
        for (const auto& slot : spec.slotList) {
            add(slot.input);
        }
        return out;
    }
    add(spec.main);
    if (spec.kind == LayoutKind::PictureInPicture) {
        add(spec.inset);
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> namedInputs(const LayoutSpec& spec) {
    std::vector<std::pair<std::string, std::string>> out;
    if (usesSlots(spec.kind)) {
        for (std::size_t i = 0; i < spec.slotList.size(); ++i) {
            if (!spec.slotList[i].input.empty()) {
                out.emplace_back("slots[" + std::to_string(i) + "].input", spec.slotList[i].input);
            }
        }
        return out;
    }
    out.emplace_back("", spec.main);
    if (spec.kind == LayoutKind::PictureInPicture) {
        out.emplace_back("", spec.inset);
    }
    return out;
}

std::string describe(const LayoutSpec& spec) {
    std::string text = toString(spec.kind);
    if (usesSlots(spec.kind)) {
        for (const auto& slot : spec.slotList) {
            text += " " + (slot.input.empty() ? std::string("-") : slot.input);
        }
        return text;
    }
    text += " " + spec.main;
    if (spec.kind == LayoutKind::PictureInPicture) {
        text += " + " + spec.inset + " (" + toString(spec.corner) + ")";
    }
    return text;
}

Box insetBox(const LayoutSpec& spec, std::uint32_t width, std::uint32_t height) {
    const auto w = static_cast<float>(width);
    const auto h = static_cast<float>(height);
    const auto margin = static_cast<float>(spec.margin);
    Box box;
    box.width = std::clamp(static_cast<float>(spec.size) * w, 1.0F, w);
    box.height = box.width * h / w;
    const bool left = spec.corner == Corner::TopLeft || spec.corner == Corner::BottomLeft;
    const bool top = spec.corner == Corner::TopLeft || spec.corner == Corner::TopRight;
    box.x = left ? margin : w - margin - box.width;
    box.y = top ? margin : h - margin - box.height;
    box.x = std::clamp(box.x, 0.0F, w - box.width);
    box.y = std::clamp(box.y, 0.0F, h - box.height);
    return box;
}

Box toPixels(const SlotBox& box, std::uint32_t width, std::uint32_t height) {
    const auto w = static_cast<double>(width);
    const auto h = static_cast<double>(height);
    return {static_cast<float>(box.x * w), static_cast<float>(box.y * h),
            static_cast<float>(box.w * w), static_cast<float>(box.h * h)};
}

std::vector<PlacedItem> place(const LayoutSpec& raw, std::uint32_t width, std::uint32_t height) {
    const LayoutSpec spec = normalised(raw);
    const Box canvas{0, 0, static_cast<float>(width), static_cast<float>(height)};
    std::vector<PlacedItem> out;
    if (usesSlots(spec.kind)) {
        for (const auto& slot : spec.slotList) {
            PlacedItem item{slot.input, toPixels(slot.box, width, height), std::nullopt};
            if (slot.input.empty()) {
                item.colour = kBlack;
            }
            out.push_back(std::move(item));
        }
        return out;
    }
    out.push_back({spec.main, canvas, std::nullopt});
    if (spec.kind == LayoutKind::PictureInPicture) {
        const Box inset = insetBox(spec, width, height);
        if (spec.border > 0) {
            const auto b = static_cast<float>(spec.border);
            Box frame{inset.x - b, inset.y - b, inset.width + 2 * b, inset.height + 2 * b};
            frame.x = std::max(frame.x, 0.0F);
            frame.y = std::max(frame.y, 0.0F);
            frame.width = std::min(frame.width, canvas.width - frame.x);
            frame.height = std::min(frame.height, canvas.height - frame.y);
            out.push_back({"", frame, spec.borderColour});
            out.push_back({"", inset, kBlack}); // the inset's own bars stay black
        }
        out.push_back({spec.inset, inset, std::nullopt});
    }
    return out;
}

} // namespace stagecast::director
