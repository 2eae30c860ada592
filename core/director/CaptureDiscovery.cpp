#include "director/CaptureDiscovery.h"

#include <string>
#include <thread>

#include "director/ObsHandles.h"
#include "director/Platform.h"

namespace stagecast::director {

namespace {

bool typeExists(const char* id) {
    const char* name = nullptr;
    for (std::size_t i = 0; obs_enum_input_types(i, &name); ++i) {
        if (std::string(name) == id) {
            return true;
        }
    }
    return false;
}

void readList(obs_property_t* list, CaptureKind& out) {
    const auto format = obs_property_list_format(list);
    const std::size_t n = obs_property_list_item_count(list);
    for (std::size_t i = 0; i < n; ++i) {
        if (obs_property_list_item_disabled(list, i)) {
            continue;
        }
        CaptureDevice d;
        d.name = obs_property_list_item_name(list, i);
        if (format == OBS_COMBO_FORMAT_INT) {
            d.id = std::to_string(obs_property_list_item_int(list, i));
        } else if (format == OBS_COMBO_FORMAT_STRING) {
            const char* s = obs_property_list_item_string(list, i);
            d.id = s != nullptr ? s : "";
        }
        if (d.id.empty() && out.kind == "camera") {
            continue; // a camera list's placeholder entry (v4l2)
        }
        out.devices.push_back(std::move(d));
    }
}

std::vector<CaptureKind> discoverOnThisThread() {
    std::vector<CaptureKind> out;
    for (const auto& p : platform::captureProbes()) {
        CaptureKind k;
        k.kind = p.kind;
        k.source = p.source;
        if (!typeExists(p.source)) {
            if (obs_get_module(p.module) == nullptr) {
                k.reason =
                    std::string("OBS module ") + p.module + " is not loaded (no " + p.source + ")";
            } else {
                // linux-capture registers window capture only under a window manager that
                // speaks EWMH (none runs under a bare Xvfb).
                k.reason = std::string("OBS module ") + p.module + " offers no " + p.source +
                           " on this display" +
                           (k.kind == "window" ? ": window capture needs a window manager with "
                                                 "EWMH support"
                                               : "");
            }
            out.push_back(std::move(k));
            continue;
        }
        k.available = true;
        SourceRef instance;
        obs_properties_t* props = nullptr;
        if (p.needsInstance) {
            instance = SourceRef(obs_source_create_private(p.source, "capture discovery", nullptr));
            props = instance ? obs_source_properties(instance.get()) : nullptr;
        } else {
            props = obs_get_source_properties(p.source);
        }
        if (props == nullptr) {
            k.reason = std::string(p.source) + " did not list its devices";
        } else {
            if (obs_property_t* list = obs_properties_get(props, p.property)) {
                readList(list, k);
            }
            obs_properties_destroy(props);
        }
        if (k.devices.empty() && k.reason.empty()) {
            k.reason = std::string("no ") + p.kind + " device found on this machine";
        }
        out.push_back(std::move(k));
    }
    return out;
}

} // namespace

std::vector<CaptureKind> discoverCapture() {
    // On a thread of its own that ends here: the capture modules' libraries (PulseAudio)
    // leave thread-specific data whose destructors live in them, and libobs unloads them at
    // shutdown; a server thread that asked would run those destructors after the unload.
    std::vector<CaptureKind> out;
    std::thread([&out] { out = discoverOnThisThread(); }).join();
    return out;
}

} // namespace stagecast::director
