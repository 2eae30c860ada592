#include "director/GraphicsPlatform.h"

#include <cstdlib>
#include <dlfcn.h>
#include <string_view>
#include <utility>

#include <obsconfig.h> // ENABLE_WAYLAND: whether this libobs can draw on Wayland

#include <obs-nix-platform.h>
#include <obs.h>
#include <wayland-client.h>

// Xlib defines macros (Status, Bool, None) that clash with our names: include it last.
#include <X11/Xlib.h>
#undef Status
#undef Bool
#undef None

namespace stagecast::director {

namespace {

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v != nullptr ? std::string(v) : std::string();
}

} // namespace

/// The renderer libobs' OpenGL context reports (GL_RENDERER), asked through the libEGL that
/// libobs-opengl loaded (Mesa's eglGetProcAddress answers core GL functions too); empty when it
/// cannot be asked.
std::string adapterName() {
    using GetProc = void* (*)(const char*);
    using GetString = const unsigned char* (*)(unsigned int);
    constexpr unsigned int kGlRenderer = 0x1F01;
    void* egl = dlopen("libEGL.so.1", RTLD_NOW | RTLD_NOLOAD);
    if (egl == nullptr) {
        return {};
    }
    auto* getProc = reinterpret_cast<GetProc>(dlsym(egl, "eglGetProcAddress"));
    std::string name;
    obs_enter_graphics();
    auto* get = getProc != nullptr ? reinterpret_cast<GetString>(getProc("glGetString")) : nullptr;
    if (get != nullptr) {
        if (const unsigned char* text = get(kGlRenderer); text != nullptr) {
            name = reinterpret_cast<const char*>(text);
        }
    }
    obs_leave_graphics();
    dlclose(egl);
    return name;
}

base::Result<WindowSystem> chooseWindowSystem() {
    const std::string forced = env("STAGECAST_GRAPHICS");
    if (forced == "x11") {
        return WindowSystem::X11;
    }
    if (forced == "wayland") {
        return WindowSystem::Wayland;
    }
    if (!forced.empty()) {
        return base::fail("STAGECAST_GRAPHICS='" + forced.substr(0, 32) +
                          "' is not one of x11, wayland (or unset: chosen from the session)");
    }
    const bool wayland = !env("WAYLAND_DISPLAY").empty();
    if (wayland && (env("XDG_SESSION_TYPE") == "wayland" || env("DISPLAY").empty())) {
        return WindowSystem::Wayland;
    }
    return WindowSystem::X11;
}

base::Result<NativeDisplay> NativeDisplay::open(WindowSystem system) {
    NativeDisplay d;
    d.system_ = system;
    if (system == WindowSystem::Wayland) {
        d.name_ = env("WAYLAND_DISPLAY");
#ifndef ENABLE_WAYLAND
        return base::fail("this libobs was built without Wayland: set STAGECAST_GRAPHICS=x11 "
                          "(XWayland) or use xvfb-run");
#endif
        d.handle_ = wl_display_connect(nullptr);
        if (d.handle_ == nullptr) {
            return base::fail("cannot connect to the Wayland display '" + d.name_ +
                              "': the director needs one (run in a desktop session, set "
                              "STAGECAST_GRAPHICS=x11 for XWayland, or use xvfb-run)");
        }
        return d;
    }
    d.name_ = env("DISPLAY");
    d.handle_ = XOpenDisplay(nullptr);
    if (d.handle_ == nullptr) {
        return base::fail("cannot open the X display '" + d.name_ +
                          "': the director needs one (run under a desktop session or xvfb-run)");
    }
    return d;
}

NativeDisplay::NativeDisplay(NativeDisplay&& other) noexcept
    : system_(other.system_), handle_(std::exchange(other.handle_, nullptr)),
      name_(std::move(other.name_)) {}

NativeDisplay& NativeDisplay::operator=(NativeDisplay&& other) noexcept {
    if (this != &other) {
        close();
        system_ = other.system_;
        handle_ = std::exchange(other.handle_, nullptr);
        name_ = std::move(other.name_);
    }
    return *this;
}

NativeDisplay::~NativeDisplay() {
    close();
}

void NativeDisplay::close() {
    if (handle_ == nullptr) {
        return;
    }
    if (system_ == WindowSystem::Wayland) {
        wl_display_disconnect(static_cast<wl_display*>(handle_));
    } else {
        XCloseDisplay(static_cast<Display*>(handle_));
    }
    handle_ = nullptr;
}

void NativeDisplay::useForObs() const {
#ifdef ENABLE_WAYLAND
    obs_set_nix_platform(system_ == WindowSystem::Wayland ? OBS_NIX_PLATFORM_WAYLAND
                                                          : OBS_NIX_PLATFORM_X11_EGL);
#else
    obs_set_nix_platform(OBS_NIX_PLATFORM_X11_EGL);
#endif
    obs_set_nix_platform_display(handle_);
}

std::string NativeDisplay::describe() const {
    return std::string(toString(system_)) + " " + name_;
}

} // namespace stagecast::director
