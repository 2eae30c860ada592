#include "app/DemoScene.h"

namespace stagecast::app {

namespace {

director::InputSpec input(std::string id, director::InputKind kind) {
    director::InputSpec spec;
    spec.id = std::move(id);
    spec.kind = kind;
    return spec;
}

base::Status step(const char* what, base::Status status) {
    if (!status) {
        return base::fail(std::string("demo scene: ") + what + ": " + status.error().message());
    }
    return {};
}

} // namespace

base::Status buildDemoScene(director::Director& director, const std::string& pushHint) {
    using director::InputKind;
    auto bars = input("pattern:bars", InputKind::Pattern);
    bars.toneHz = 1000; // bars and tone, -20 dBFS
    auto clock = input("text:clock", InputKind::Text);
    clock.mode = "clock";
    clock.color = 0xFFFFFF;
    auto slate = input("color:slate", InputKind::Color);
    slate.color = 0x1E2A38;
    auto welcome = input("lower3:welcome", InputKind::LowerThird);
    welcome.text = "Push presenters to"; // the bar fits ~40 characters of title
    welcome.title = pushHint;
    auto ticker = input("text:ticker", InputKind::Text);
    ticker.mode = "ticker";
    ticker.color = 0xFFFFFF;
    ticker.text = "Welcome to the town hall  +++  questions go to the moderation queue  +++  "
                  "this is a test signal";
    for (const auto* spec : {&bars, &clock, &slate, &welcome, &ticker}) {
        if (auto ok = step(("input " + spec->id).c_str(), director.addInput(*spec)); !ok) {
            return ok;
        }
    }
    for (const auto* id : {"welcome", "ticker"}) {
        director::OverlaySpec overlay;
        overlay.id = id;
        overlay.kind = director::OverlayKind::Input;
        overlay.input = std::string(id == std::string("welcome") ? "lower3:" : "text:") + id;
        overlay.on = true; // the scrolling ticker also keeps the program from looking frozen
        if (auto ok = step("overlay", director.setOverlay(overlay)); !ok) {
            return ok;
        }
    }
    director::LayoutSpec program;
    program.kind = director::LayoutKind::PictureInPicture;
    program.main = bars.id;
    program.inset = clock.id;
    program.corner = director::Corner::TopRight;
    program.size = 0.3;
    if (auto ok = step("program layout", director.setPreview(program)); !ok) {
        return ok;
    }
    if (auto taken = director.cut(); !taken) {
        return base::fail("demo scene: cut: " + taken.error().message());
    }
    director::LayoutSpec next;
    next.main = slate.id;
    return step("preview layout", director.setPreview(next));
}

} // namespace stagecast::app
