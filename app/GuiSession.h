#pragma once
/// The studio with its window (stagecast without --headless): the operator's DirectorWindow
/// on this process' own control API over loopback, with preview and program monitors
/// decoded from its HTTP-FLV streams. Runs Qt's event loop on the main thread until the
/// window is closed or `requestQuit()` is called (from any thread: SIGINT/SIGTERM).

#include <cstdint>
#include <string>

namespace stagecast::app {

/// Whether a GUI can start here: a display (DISPLAY or WAYLAND_DISPLAY) or a platform chosen
/// with QT_QPA_PLATFORM (e.g. offscreen).
bool displayAvailable();

struct GuiUrls {
    std::string api;     // http://127.0.0.1:PORT/api/v1
    std::string token;   // the API's bearer token
    std::string program; // the program's FLV URL (signed when play auth is on)
    std::string preview; // the preview's FLV URL (signed when play auth is on)
};

/// Shows the window and runs the event loop; returns when it closes or on requestQuit().
int runGui(const GuiUrls& urls);
/// Ends runGui()'s loop; safe from any thread, also before the loop runs.
void requestQuit();

} // namespace stagecast::app
