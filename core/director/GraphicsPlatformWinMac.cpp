// Windows and macOS: libobs' graphics module (Direct3D 11, OpenGL) makes its own device and
// needs no display connection, so NativeDisplay holds nothing. Not built on those systems yet
// (docs/director.md).
#include "director/GraphicsPlatform.h"

#include <cstdint>
#include <string>
#include <utility>

#include <obs.h>

namespace stagecast::director {

namespace {

#ifdef _WIN32
constexpr WindowSystem kSystem = WindowSystem::Windows;
#else
constexpr WindowSystem kSystem = WindowSystem::MacOS;
#endif

/// The first adapter libobs' graphics module lists: the one it uses (adapter 0).
bool firstAdapter(void* param, const char* name, std::uint32_t) noexcept {
    *static_cast<std::string*>(param) = name != nullptr ? name : "";
    return false;
}

} // namespace

std::string adapterName() {
    std::string name;
    obs_enter_graphics();
    gs_enum_adapters(firstAdapter, &name);
    obs_leave_graphics();
    return name;
}

base::Result<WindowSystem> chooseWindowSystem() {
    return kSystem;
}

base::Result<NativeDisplay> NativeDisplay::open(WindowSystem system) {
    NativeDisplay d;
    d.system_ = system;
    d.name_ = toString(system);
    return d;
}

NativeDisplay::NativeDisplay(NativeDisplay&& other) noexcept
    : system_(other.system_), handle_(std::exchange(other.handle_, nullptr)),
      name_(std::move(other.name_)) {}

NativeDisplay& NativeDisplay::operator=(NativeDisplay&& other) noexcept {
    system_ = other.system_;
    handle_ = std::exchange(other.handle_, nullptr);
    name_ = std::move(other.name_);
    return *this;
}

NativeDisplay::~NativeDisplay() = default;

void NativeDisplay::close() {}

void NativeDisplay::useForObs() const {}

std::string NativeDisplay::describe() const {
    return name_;
}

} // namespace stagecast::director
