#include "director/TextSource.h"

#include <string_view>

#include "director/Platform.h"

namespace stagecast::director {

SourceRef makeTextSource(const std::string& name, const std::string& text, const TextLook& look) {
    const std::string_view type = platform::textSourceType();
    const bool gdiplus = type == "text_gdiplus_v2";
    DataRef font(obs_data_create());
    obs_data_set_string(font.get(), "face", platform::fontFace());
    obs_data_set_string(font.get(), "style", platform::fontStyle(look.bold));
    obs_data_set_int(font.get(), "size", look.size);
    if (gdiplus) {
        obs_data_set_int(font.get(), "flags", look.bold ? OBS_FONT_BOLD : 0); // bold by flag
    }
    DataRef s(obs_data_create());
    obs_data_set_obj(s.get(), "font", font.get());
    obs_data_set_string(s.get(), "text", text.c_str());
    if (gdiplus) {
        // GDI+ takes the colour as 0xBBGGRR and the alpha in percent.
        obs_data_set_int(s.get(), "color", look.abgr & 0xffffff);
        obs_data_set_int(s.get(), "opacity", ((look.abgr >> 24) * 100 + 127) / 255);
        obs_data_set_bool(s.get(), "outline", look.shadow);
        obs_data_set_int(s.get(), "outline_color", 0x000000);
    } else {
        obs_data_set_int(s.get(), "color1", look.abgr);
        obs_data_set_int(s.get(), "color2", look.abgr);
        obs_data_set_bool(s.get(), "drop_shadow", look.shadow);
    }
    return SourceRef(obs_source_create_private(type.data(), name.c_str(), s.get()));
}

void setText(obs_source_t* source, const std::string& text) {
    DataRef s(obs_data_create());
    obs_data_set_string(s.get(), "text", text.c_str());
    obs_source_update(source, s.get());
}

} // namespace stagecast::director
