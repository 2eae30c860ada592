#include "director/HubInputSource.h"

#include <cstring>

#include "base/Log.h"

namespace stagecast::director {

namespace {

struct TypeContext {
    stream::Hub* hub;
    HubInputOptions options;
};

const char* hubInputName(void*) noexcept {
    return "Stagecast hub stream";
}

void* hubInputCreate(obs_data_t* settings, obs_source_t* source) noexcept {
    const char* name = obs_data_get_string(settings, "stream");
    try {
        auto key = stream::StreamKey::parse(name != nullptr ? name : "");
        if (!key) {
            base::log(base::LogLevel::Warning, "director",
                      std::string("hub input: ") + key.error().message());
            return nullptr;
        }
        auto* context = static_cast<TypeContext*>(obs_source_get_type_data(source));
        return new HubInput(*context->hub, std::move(*key), source, context->options);
    } catch (const std::exception& e) {
        base::log(base::LogLevel::Warning, "director",
                  std::string("hub input ") + (name != nullptr ? name : "") + ": " + e.what());
        return nullptr;
    }
}

void hubInputShown(void* data) noexcept {
    static_cast<HubInput*>(data)->shown();
}

void hubInputDestroy(void* data) noexcept {
    delete static_cast<HubInput*>(data);
}

void freeTypeData(void* data) noexcept {
    delete static_cast<TypeContext*>(data);
}

} // namespace

void registerHubInputSource(stream::Hub& hub, HubInputOptions options) {
    obs_source_info info{};
    info.id = kHubInputId;
    info.type = OBS_SOURCE_TYPE_INPUT;
    info.output_flags = OBS_SOURCE_ASYNC_VIDEO | OBS_SOURCE_AUDIO | OBS_SOURCE_DO_NOT_DUPLICATE;
    info.get_name = hubInputName;
    info.create = hubInputCreate;
    info.destroy = hubInputDestroy;
    info.show = hubInputShown;
    info.activate = hubInputShown;
    info.type_data = new TypeContext{&hub, options};
    info.free_type_data = freeTypeData;
    obs_register_source(&info);
}

HubInput* hubInputOf(obs_source_t* source) {
    if (source == nullptr) {
        return nullptr;
    }
    const char* id = obs_source_get_id(source);
    if (id == nullptr || std::strcmp(id, kHubInputId) != 0) {
        return nullptr;
    }
    return static_cast<HubInput*>(obs_obj_get_data(source));
}

} // namespace stagecast::director
