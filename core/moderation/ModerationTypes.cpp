#include "moderation/ModerationTypes.h"

#include "stream/StreamKey.h"

namespace stagecast::moderation {

bool isPublic(const store::ModerationItem& item) {
    const bool viewerKind =
        item.kind == store::ItemKind::Chat || item.kind == store::ItemKind::Question;
    const bool published =
        item.state == store::ItemState::Approved || item.state == store::ItemState::Answered;
    return viewerKind && published;
}

ModerationResult<std::string> checkedStream(std::string_view app, std::string_view name) {
    auto key = stream::StreamKey::make(app, name);
    if (!key) {
        return refuse(ModerationError::Code::BadRequest, key.error().message());
    }
    return key->str();
}

} // namespace stagecast::moderation
