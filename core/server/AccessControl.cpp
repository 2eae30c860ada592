#include "AccessControl.h"

namespace stagecast::server {

base::Status AccessControl::check(Action action, const stream::StreamKey& key, std::string_view uri,
                                  std::string_view query, std::string_view address,
                                  std::int64_t nowUnix) const {
    auto acl = options_.acls.find(key.app());
    if (acl == options_.acls.end()) {
        acl = options_.acls.find("*");
    }
    if (acl != options_.acls.end()) {
        if (auto ok = acl->second.check(address); !ok) {
            return base::fail(ok.error().withContext("address " + std::string(address)));
        }
    }
    bool needSignature = action == Action::Publish ? options_.publishAuth : options_.playAuth;
    if (!needSignature) {
        return {};
    }
    auto authKey = auth::queryParam(query, "auth_key");
    std::optional<std::string_view> view;
    if (authKey) {
        view = *authKey;
    }
    return auth::verifyAuthKey(uri, view, nowUnix, options_.keys);
}

} // namespace stagecast::server
