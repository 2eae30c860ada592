#include "server/auth/IpAcl.h"

namespace stagecast::server::auth {

namespace {

base::Status appendRules(const std::vector<std::string>& texts, auto& out) {
    for (const auto& text : texts) {
        auto cidr = base::Cidr::parse(text);
        if (!cidr) {
            return base::fail(cidr.error());
        }
        out.push_back({*cidr, text});
    }
    return {};
}

} // namespace

base::Result<IpAcl> IpAcl::make(const std::vector<std::string>& allow,
                                const std::vector<std::string>& deny) {
    IpAcl acl;
    if (auto ok = appendRules(allow, acl.allow_); !ok) {
        return base::fail(ok.error());
    }
    if (auto ok = appendRules(deny, acl.deny_); !ok) {
        return base::fail(ok.error());
    }
    return acl;
}

base::Status IpAcl::check(std::string_view address) const {
    if (empty()) {
        return {};
    }
    auto parsed = base::IpAddress::parse(address);
    if (!parsed) {
        return base::fail(parsed.error().withContext("address refused"));
    }
    for (const auto& rule : deny_) {
        if (rule.cidr.contains(*parsed)) {
            return base::fail("address " + std::string(address) + " refused by deny rule '" +
                              rule.text + "'");
        }
    }
    if (allow_.empty()) {
        return {};
    }
    for (const auto& rule : allow_) {
        if (rule.cidr.contains(*parsed)) {
            return {};
        }
    }
    return base::fail("address " + std::string(address) + " not in allow list");
}

} // namespace stagecast::server::auth
