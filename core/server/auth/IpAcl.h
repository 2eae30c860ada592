#pragma once
/// Per-app client address allow/deny lists, checked when a connection names its app.
/// Rules are CIDR blocks parsed by base::Cidr; IPv4-mapped IPv6 peers match IPv4 rules.

#include <string>
#include <string_view>
#include <vector>

#include "base/Cidr.h"
#include "base/Result.h"

namespace stagecast::server::auth {

class IpAcl {
public:
    IpAcl() = default;

    /// Parses every rule; the first bad one is the error
    /// ("invalid CIDR '10.0.0.0/33': prefix length must be 0..32").
    static base::Result<IpAcl> make(const std::vector<std::string>& allow,
                                    const std::vector<std::string>& deny);

    /// Deny wins; if allow is non-empty the address must match an allow rule. `address` is a
    /// textual IP (as from boost::asio ip::address::to_string(), may be v4-mapped
    /// "::ffff:1.2.3.4"). Returns an Error naming the rule that refused or "not in allow
    /// list"; an unparsable address is refused.
    base::Status check(std::string_view address) const;

    /// True if there are no rules, i.e. every address is accepted.
    bool empty() const { return allow_.empty() && deny_.empty(); }

private:
    struct Rule {
        base::Cidr cidr;
        std::string text; // as the user wrote it, for error messages
    };

    std::vector<Rule> allow_;
    std::vector<Rule> deny_;
};

} // namespace stagecast::server::auth
