#include "SrtStreamId.h"

#include "server/auth/SignedUrl.h"

namespace stagecast::server::srt {

base::Result<SrtStreamId> parseSrtStreamId(std::string_view text) {
    SrtStreamId out;
    if (text.size() > 512) {
        return base::fail("srt streamid longer than 512 characters");
    }
    if (!text.starts_with("#!::")) {
        auto q = text.find('?');
        out.resource = std::string(text.substr(0, q));
        out.mode = SrtMode::Publish;
        if (q != std::string_view::npos) {
            out.query = std::string(text.substr(q + 1));
        }
        if (out.resource.empty()) {
            return base::fail("srt streamid is empty: use #!::r=APP/STREAM,m=publish");
        }
        return out;
    }
    auto resource = auth::srtStreamIdParam(text, "r");
    if (!resource || resource->empty()) {
        return base::fail("srt streamid has no r=APP/STREAM");
    }
    out.resource = *resource;
    auto mode = auth::srtStreamIdParam(text, "m").value_or("request");
    if (mode == "publish") {
        out.mode = SrtMode::Publish;
    } else if (mode == "request") {
        out.mode = SrtMode::Request;
    } else {
        return base::fail("srt streamid: m=" + mode + " unsupported: use publish or request");
    }
    if (auto key = auth::srtStreamIdParam(text, "auth_key")) {
        out.query = "auth_key=" + *key;
    }
    return out;
}

} // namespace stagecast::server::srt
