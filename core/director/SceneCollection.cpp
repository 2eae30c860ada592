#include "director/SceneCollection.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "director/LayoutJson.h"
#include "director/TransitionJson.h"
#include "stream/StreamKey.h"

namespace stagecast::director {

using nlohmann::json;

namespace {

json layoutJson(const LayoutSpec& s) {
    return layoutToJson(s);
}

base::Result<LayoutSpec> layoutFrom(const json& j) {
    return layoutFromJson(j);
}

base::Result<InputSettings> inputFrom(const json& j) {
    if (!j.is_object()) {
        return base::fail("must be an object with stream, volume and muted");
    }
    InputSettings in;
    const auto stream = j.find("stream");
    if (stream == j.end() || !stream->is_string()) {
        return base::fail("stream: APP/NAME is required");
    }
    in.stream = stream->get<std::string>();
    if (auto key = stagecast::stream::StreamKey::parse(in.stream);
        !key && !isLocalInputId(in.stream)) {
        return base::fail("stream: " + key.error().message());
    }
    if (auto v = j.find("volume"); v != j.end()) {
        if (!v->is_number() || v->get<double>() < 0.0 || v->get<double>() > 4.0) {
            return base::fail("volume: a number 0..4");
        }
        in.volume = v->get<double>();
    }
    if (auto m = j.find("muted"); m != j.end()) {
        if (!m->is_boolean()) {
            return base::fail("muted: true or false");
        }
        in.muted = m->get<bool>();
    }
    if (auto b = j.find("backup"); b != j.end()) {
        if (!b->is_string()) {
            return base::fail("backup: an input name");
        }
        in.backup = b->get<std::string>();
    }
    for (auto [name, flag] :
         {std::pair{"follow_video", &in.followVideo}, std::pair{"monitor", &in.monitor}}) {
        if (auto f = j.find(name); f != j.end()) {
            if (!f->is_boolean()) {
                return base::fail(std::string(name) + ": true or false");
            }
            *flag = f->get<bool>();
        }
    }
    if (auto o = j.find("sync_offset_ms"); o != j.end()) {
        auto offset = syncOffsetFromJson(*o);
        if (!offset) {
            return base::fail(offset.error());
        }
        in.syncOffsetMs = *offset;
    }
    return in;
}

} // namespace

std::string toJson(const SceneCollection& c) {
    json inputs = json::array();
    for (const auto& in : c.inputs) {
        inputs.push_back({{"stream", in.stream},
                          {"volume", in.volume},
                          {"muted", in.muted},
                          {"follow_video", in.followVideo},
                          {"monitor", in.monitor},
                          {"sync_offset_ms", in.syncOffsetMs}});
        if (!in.backup.empty()) {
            inputs.back()["backup"] = in.backup;
        }
    }
    json sources = json::array();
    for (const auto& spec : c.sources) {
        sources.push_back(json::parse(toJson(spec)));
    }
    json j{{"version", kCollectionVersion},
           {"inputs", inputs},
           {"preview", c.preview ? layoutJson(*c.preview) : json(nullptr)},
           {"program", c.program ? layoutJson(*c.program) : json(nullptr)},
           {"transition_ms", c.transition.count()},
           {"sources", sources}};
    json overlays = json::array();
    for (const auto& o : c.overlays) {
        overlays.push_back(overlayToJson(o));
    }
    j["overlays"] = overlays;
    if (c.transitionSpec) {
        j["transition"] = toJson(*c.transitionSpec);
    }
    json layouts = json::array();
    for (const auto& saved : c.layouts) {
        layouts.push_back(toJson(saved));
    }
    j["layouts"] = layouts;
    j["multiview"] = multiviewToJson(c.multiview);
    return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

base::Result<LoadedCollection> parseCollection(std::string_view text) {
    const auto j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        return base::fail("not a JSON object");
    }
    const auto version = j.find("version");
    if (version == j.end() || !version->is_number_integer()) {
        return base::fail("version: a number is required");
    }
    if (version->get<std::int64_t>() > kCollectionVersion) {
        return base::fail("version " + std::to_string(version->get<std::int64_t>()) +
                          " is newer than this Stagecast reads (" +
                          std::to_string(kCollectionVersion) + ")");
    }
    LoadedCollection out;
    if (auto inputs = j.find("inputs"); inputs != j.end()) {
        if (!inputs->is_array()) {
            out.problems.push_back("inputs: must be an array");
        } else {
            for (std::size_t i = 0; i < inputs->size(); ++i) {
                auto in = inputFrom((*inputs)[i]);
                if (in) {
                    out.collection.inputs.push_back(std::move(*in));
                } else {
                    out.problems.push_back("inputs[" + std::to_string(i) +
                                           "]: " + in.error().message());
                }
            }
        }
    }
    if (auto sources = j.find("sources"); sources != j.end()) {
        for (std::size_t i = 0; sources->is_array() && i < sources->size(); ++i) {
            auto spec = parseInputSpec((*sources)[i].dump());
            if (spec) {
                out.collection.sources.push_back(std::move(*spec));
            } else {
                out.problems.push_back("sources[" + std::to_string(i) +
                                       "]: " + spec.error().message());
            }
        }
    }
    for (const char* name : {"preview", "program"}) {
        auto it = j.find(name);
        if (it == j.end() || it->is_null()) {
            continue;
        }
        auto layout = layoutFrom(*it);
        if (!layout) {
            out.problems.push_back(std::string(name) + ": " + layout.error().message());
            continue;
        }
        (std::string_view(name) == "preview" ? out.collection.preview : out.collection.program) =
            std::move(*layout);
    }
    if (auto t = j.find("transition_ms"); t != j.end()) {
        if (t->is_number_integer() && t->get<std::int64_t>() >= 0 &&
            t->get<std::int64_t>() <= 60000) {
            out.collection.transition = std::chrono::milliseconds(t->get<std::int64_t>());
        } else {
            out.problems.push_back("transition_ms: a number 0..60000");
        }
    }
    if (auto overlays = j.find("overlays"); overlays != j.end()) {
        if (!overlays->is_array()) {
            out.problems.push_back("overlays: must be an array");
        } else {
            for (std::size_t i = 0; i < overlays->size(); ++i) {
                auto o = overlayFromJson((*overlays)[i]);
                if (o) {
                    out.collection.overlays.push_back(std::move(*o));
                } else {
                    out.problems.push_back("overlays[" + std::to_string(i) +
                                           "]: " + o.error().message());
                }
            }
        }
    }
    if (auto t = j.find("transition"); t != j.end() && !t->is_null()) {
        auto spec = transitionFromJson(*t);
        if (spec) {
            out.collection.transitionSpec = std::move(*spec);
        } else {
            out.problems.push_back("transition: " + spec.error().message());
        }
    }
    if (auto m = j.find("multiview"); m != j.end()) {
        auto parsed = multiviewFromJson(*m, out.collection.multiview);
        if (parsed) {
            out.collection.multiview = *parsed;
        } else {
            out.problems.push_back("multiview: " + parsed.error().message());
        }
    }
    if (auto layouts = j.find("layouts"); layouts != j.end()) {
        if (!layouts->is_array()) {
            out.problems.push_back("layouts: must be an array");
        } else {
            SavedLayouts unique;
            for (std::size_t i = 0; i < layouts->size(); ++i) {
                auto saved = savedLayoutFromJson((*layouts)[i], {});
                auto ok = saved ? unique.put(*saved) : base::Status(base::fail(saved.error()));
                if (ok) {
                    continue;
                }
                out.problems.push_back("layouts[" + std::to_string(i) +
                                       "]: " + ok.error().message());
            }
            out.collection.layouts = unique.list();
        }
    }
    return out;
}

base::Status saveCollection(const std::filesystem::path& file, const SceneCollection& c) {
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
    if (ec) {
        return base::fail("cannot create " + file.parent_path().string() + ": " + ec.message());
    }
    auto temp = file;
    temp += ".tmp";
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        out << toJson(c);
        out.flush();
        if (!out) {
            return base::fail("cannot write " + temp.string());
        }
    }
    std::filesystem::rename(temp, file, ec);
    if (ec) {
        return base::fail("cannot replace " + file.string() + ": " + ec.message());
    }
    return {};
}

base::Result<LoadedCollection> loadCollection(const std::filesystem::path& file) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) {
        return LoadedCollection{};
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return base::fail("cannot read " + file.string());
    }
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = parseCollection(text.str());
    if (!parsed) {
        return base::fail(parsed.error().withContext(file.string()));
    }
    return parsed;
}

} // namespace stagecast::director
