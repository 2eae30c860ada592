#include "moderation/Links.h"

#include <algorithm>
#include <array>

namespace stagecast::moderation {

namespace {

constexpr std::array<std::string_view, 38> kTopLevelDomains = {
    "com", "net", "org", "edu", "gov", "info", "biz", "io", "co", "cn",   "tv",   "cc",  "top",
    "xyz", "vip", "app", "dev", "ly",  "gl",   "gg",  "uk", "de", "fr",   "jp",   "kr",  "ru",
    "hk",  "tw",  "sg",  "au",  "ca",  "eu",   "nl",  "es", "br", "asia", "mobi", "site"};

bool isLabelChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

bool isSpace(char c) {
    return c == ' ';
}

// Path characters after a domain: up to white space or a character outside printable ASCII
// (Chinese text often follows a link without a space).
std::size_t pathEnd(std::string_view text, std::size_t pos) {
    while (pos < text.size() && !isSpace(text[pos]) &&
           static_cast<unsigned char>(text[pos]) > 0x20 &&
           static_cast<unsigned char>(text[pos]) < 0x7f) {
        ++pos;
    }
    return pos;
}

// The dotted name [begin, end): 2+ non-empty labels of [a-z0-9-], none starting or ending
// with '-', the last one in kTopLevelDomains.
bool isDomain(std::string_view name) {
    if (name.empty() || name.front() == '.' || name.back() == '.') {
        return false;
    }
    std::size_t labels = 0;
    std::string_view last;
    std::size_t start = 0;
    while (start <= name.size()) {
        auto dot = name.find('.', start);
        auto label = name.substr(start, dot == std::string_view::npos ? name.npos : dot - start);
        if (label.empty() || label.front() == '-' || label.back() == '-') {
            return false;
        }
        ++labels;
        last = label;
        if (dot == std::string_view::npos) {
            break;
        }
        start = dot + 1;
    }
    return labels >= 2 && std::find(kTopLevelDomains.begin(), kTopLevelDomains.end(), last) !=
                              kTopLevelDomains.end();
}

} // namespace

std::vector<std::string> findLinks(std::string_view text) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        // Explicit schemes first: anything non-blank after them is a link.
        std::size_t scheme = 0;
        if (text.substr(pos).starts_with("http://")) {
            scheme = 7;
        } else if (text.substr(pos).starts_with("https://")) {
            scheme = 8;
        }
        if (scheme != 0) {
            auto end = pathEnd(text, pos + scheme);
            if (end > pos + scheme) {
                out.emplace_back(text.substr(pos, end - pos));
                pos = end;
                continue;
            }
        }
        if (!isLabelChar(text[pos]) ||
            (pos > 0 &&
             (isLabelChar(text[pos - 1]) || text[pos - 1] == '.' || text[pos - 1] == '@'))) {
            ++pos;
            continue;
        }
        // A run of label characters and dots starting here: a domain name candidate.
        std::size_t end = pos;
        while (end < text.size() && (isLabelChar(text[end]) || text[end] == '.')) {
            ++end;
        }
        std::size_t nameEnd = end;
        while (nameEnd > pos && text[nameEnd - 1] == '.') {
            --nameEnd; // a full stop after the name
        }
        auto name = text.substr(pos, nameEnd - pos);
        bool www = name.starts_with("www.") && name.size() > 4;
        if ((www || isDomain(name)) && (end >= text.size() || text[end] != '@')) {
            std::size_t linkEnd = nameEnd;
            if (nameEnd == end && end < text.size() && (text[end] == '/' || text[end] == ':')) {
                linkEnd = pathEnd(text, end);
            }
            out.emplace_back(text.substr(pos, linkEnd - pos));
            pos = linkEnd;
            continue;
        }
        pos = end;
    }
    return out;
}

} // namespace stagecast::moderation
