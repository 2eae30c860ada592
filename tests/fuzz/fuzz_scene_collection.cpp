// Reads the input as the director's scene collection (DATA/director/scenes.json, which anyone
// with the data folder can edit) and, when it is JSON, as the bodies the control API takes
// (a layout, a transition, an overlay, a director-defined input). A refusal must say why; a
// left-out entry must be named; and what loads must survive being saved and loaded again
// unchanged, with nothing left out the second time (the studio saves after every change).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "director/InputSpec.h"
#include "director/LayoutJson.h"
#include "director/SceneCollection.h"
#include "director/TransitionJson.h"

namespace director = stagecast::director;

namespace {

template <typename T>
void refusalSaysWhy(const stagecast::base::Result<T>& r) {
    if (!r && r.error().message().empty()) {
        __builtin_trap();
    }
}

void collection(std::string_view text) {
    const auto loaded = director::parseCollection(text);
    refusalSaysWhy(loaded);
    if (!loaded) {
        return;
    }
    for (const auto& problem : loaded->problems) {
        if (problem.empty()) {
            __builtin_trap();
        }
    }
    const std::string saved = director::toJson(loaded->collection);
    const auto again = director::parseCollection(saved);
    if (!again || !again->problems.empty() || !(again->collection == loaded->collection)) {
        __builtin_trap();
    }
}

/// A refusal says why; what is accepted, written out and read back is the same value.
template <typename T, typename Read, typename Write>
void roundTrips(const stagecast::base::Result<T>& read, Read again, Write write) {
    refusalSaysWhy(read);
    if (read) {
        const auto back = again(write(*read));
        if (!back || !(*back == *read)) {
            __builtin_trap();
        }
    }
}

void apiBodies(std::string_view text) {
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded()) {
        return;
    }
    roundTrips(director::layoutFromJson(j), director::layoutFromJson, director::layoutToJson);
    roundTrips(director::transitionFromJson(j), director::transitionFromJson,
               [](const director::TransitionSpec& t) { return director::toJson(t); });
    roundTrips(director::overlayFromJson(j), director::overlayFromJson, director::overlayToJson);
    roundTrips(director::parseInputSpec(text), director::parseInputSpec,
               [](const director::InputSpec& spec) { return director::toJson(spec); });
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    collection(text);
    apiBodies(text);
    return 0;
}
