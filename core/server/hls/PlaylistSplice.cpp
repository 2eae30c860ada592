#include "PlaylistSplice.h"

#include <algorithm>

namespace stagecast::server::hls {

PlaylistTemplate::PlaylistTemplate(std::string text)
    : text_(std::move(text)),
      markers_(static_cast<std::size_t>(std::count(text_.begin(), text_.end(), kMarker))) {}

std::string PlaylistTemplate::splice(std::string_view suffix) const {
    std::string out;
    out.reserve(text_.size() - markers_ + markers_ * suffix.size());
    std::size_t from = 0;
    for (auto at = text_.find(kMarker); at != std::string::npos; at = text_.find(kMarker, from)) {
        out.append(text_, from, at - from);
        out += suffix;
        from = at + 1;
    }
    out.append(text_, from, std::string::npos);
    return out;
}

std::shared_ptr<const std::string>
SplicedPlaylistCache::get(const std::shared_ptr<const PlaylistTemplate>& playlist,
                          std::string_view suffix) {
    if (!playlist) {
        return nullptr;
    }
    if (text_ && template_ == playlist && suffix_ == suffix) {
        return text_;
    }
    ++splices_;
    template_ = playlist;
    suffix_.assign(suffix);
    text_ = std::make_shared<const std::string>(playlist->splice(suffix));
    return text_;
}

} // namespace stagecast::server::hls
