#include "store/WriteContext.h"

#include "store/Streams.h"

namespace stagecast::store {

base::Result<std::int64_t> WriteContext::streamId(std::string_view streamKey) {
    if (auto found = streamIds_.find(streamKey); found != streamIds_.end()) {
        return found->second;
    }
    auto id = Streams::ensure(*this, streamKey);
    if (id) {
        streamIds_.emplace(std::string(streamKey), *id);
    }
    return id;
}

base::Result<std::optional<std::int64_t>>
WriteContext::optionalStreamId(std::string_view streamKey) {
    if (streamKey.empty()) {
        return std::optional<std::int64_t>();
    }
    auto id = streamId(streamKey);
    if (!id) {
        return base::fail(id.error());
    }
    return std::optional<std::int64_t>(*id);
}

} // namespace stagecast::store
