#pragma once
/// Finds links in normalised text (Normalize.h): anything after http:// or https://, names
/// starting with "www.", and bare domain names ("example.com/x", "t.cn") whose last label is
/// one of a fixed list of common top-level domains. The list leaves out TLDs that are also
/// English words ("it", "me", "in", "us", "to", "is", "live", "shop"...), because a sentence
/// typed without a space after its full stop ("great talk.it was") is not a link. Domains
/// of an e-mail address (after '@') are left to the personal-data rule.
/// Pure function; thread-safe.

#include <string>
#include <string_view>
#include <vector>

namespace stagecast::moderation {

/// Each link as found (scheme and path included).
std::vector<std::string> findLinks(std::string_view normalized);

} // namespace stagecast::moderation
