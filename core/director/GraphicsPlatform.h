#pragma once
/// The window system libobs draws through. On Linux (GraphicsPlatformLinux.cpp): an X11
/// display (OpenGL over EGL, also XWayland and Xvfb) or a Wayland compositor (OpenGL over EGL
/// on wl_display). libobs renders off screen either way; it needs the display only for its EGL
/// context. Choice: `STAGECAST_GRAPHICS=x11` or `wayland` forces one; otherwise Wayland when
/// the session is a Wayland one (`XDG_SESSION_TYPE=wayland` with `WAYLAND_DISPLAY`, or
/// `WAYLAND_DISPLAY` without `DISPLAY`), else X11. Under Wayland, X11-only capture (xshm,
/// xcomposite) is not offered by libobs' linux-capture module; capture discovery says so.
///
/// On Windows and macOS (GraphicsPlatformWinMac.cpp) libobs' graphics module needs no display
/// connection: the system is fixed and NativeDisplay holds nothing. Not built there yet.

#include <string>

#include "base/Result.h"

namespace stagecast::director {

enum class WindowSystem { X11, Wayland, Windows, MacOS };

constexpr const char* toString(WindowSystem system) {
    switch (system) {
    case WindowSystem::Wayland:
        return "wayland";
    case WindowSystem::Windows:
        return "windows";
    case WindowSystem::MacOS:
        return "macos";
    case WindowSystem::X11:
        break;
    }
    return "x11";
}

/// Which window system to use, from the variables above; fails naming a bad
/// STAGECAST_GRAPHICS value.
base::Result<WindowSystem> chooseWindowSystem();

/// The renderer libobs draws with ("llvmpipe (LLVM 15.0.6, 256 bits)", a GPU's name), asked
/// while libobs' graphics run; empty when it cannot be asked.
std::string adapterName();

/// An open connection to the display, handed to libobs (obs_set_nix_platform and
/// obs_set_nix_platform_display) before obs_startup; closed by the destructor, which must run
/// after obs_shutdown. Holds nothing on Windows and macOS.
class NativeDisplay {
public:
    /// Connects; fails naming the display and what to do ("run under a desktop session or
    /// xvfb-run").
    static base::Result<NativeDisplay> open(WindowSystem system);
    NativeDisplay() = default;
    NativeDisplay(NativeDisplay&& other) noexcept;
    NativeDisplay& operator=(NativeDisplay&& other) noexcept;
    NativeDisplay(const NativeDisplay&) = delete;
    NativeDisplay& operator=(const NativeDisplay&) = delete;
    ~NativeDisplay();

    /// Tells libobs to use this display. Call before obs_startup.
    void useForObs() const;
    WindowSystem system() const { return system_; }
    /// The display's name: DISPLAY or WAYLAND_DISPLAY as connected.
    const std::string& name() const { return name_; }
    /// "x11 :99" or "wayland wayland-1", for the log.
    std::string describe() const;

private:
    void close();

    WindowSystem system_ = WindowSystem::X11;
    void* handle_ = nullptr; // Display* or wl_display*
    std::string name_;
};

} // namespace stagecast::director
