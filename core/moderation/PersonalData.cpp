#include "moderation/PersonalData.h"

#include <algorithm>
#include <array>
#include <chrono>

namespace stagecast::moderation {

namespace {

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

bool isAsciiLetter(char c) {
    return c >= 'a' && c <= 'z';
}

// ---- phone numbers ----------------------------------------------------------------------

struct DigitGroup {
    std::size_t begin;
    std::size_t end;
};

// Between two digit groups of one number: one or two of ' ', '-', '(', ')'.
bool joinsGroups(std::string_view gap) {
    if (gap.empty() || gap.size() > 2) {
        return false;
    }
    for (char c : gap) {
        if (c != ' ' && c != '-' && c != '(' && c != ')') {
            return false;
        }
    }
    return true;
}

bool isChineseMobile(std::string_view digits) {
    return digits.size() == 11 && digits[0] == '1' && digits[1] >= '3' && digits[1] <= '9';
}

bool isPhone(std::string_view digits, bool plus) {
    if (plus) {
        // E.164: at most 15 digits; country codes never start with 0.
        return digits.size() >= 8 && digits.size() <= 15 && digits[0] != '0';
    }
    if (isChineseMobile(digits)) {
        return true;
    }
    if (digits.starts_with("86") && isChineseMobile(digits.substr(2))) {
        return true;
    }
    if (digits.starts_with("00")) {
        auto rest = digits.substr(2);
        return rest.size() >= 8 && rest.size() <= 15 && rest[0] != '0';
    }
    return false;
}

void findPhones(std::string_view text, const std::vector<DigitGroup>& groups,
                std::vector<PersonalDataFinding>& out) {
    constexpr std::size_t kMaxGroups = 6;
    std::size_t chainStart = 0;
    while (chainStart < groups.size()) {
        std::size_t chainEnd = chainStart + 1; // one past the chain's last group
        while (chainEnd < groups.size() &&
               joinsGroups(text.substr(groups[chainEnd - 1].end,
                                       groups[chainEnd].begin - groups[chainEnd - 1].end))) {
            ++chainEnd;
        }
        for (std::size_t i = chainStart; i < chainEnd;) {
            bool plus = groups[i].begin > 0 && text[groups[i].begin - 1] == '+';
            std::size_t matchedLast = 0;
            bool matched = false;
            // Longest span first, so "+86 138 1234 5678" is one number.
            for (std::size_t j = std::min(chainEnd, i + kMaxGroups); j-- > i;) {
                std::string digits;
                for (std::size_t k = i; k <= j; ++k) {
                    digits.append(text.substr(groups[k].begin, groups[k].end - groups[k].begin));
                }
                if (isPhone(digits, plus)) {
                    matched = true;
                    matchedLast = j;
                    break;
                }
            }
            if (!matched) {
                ++i;
                continue;
            }
            std::size_t begin = groups[i].begin - (plus ? 1 : 0);
            out.push_back({PersonalDataType::Phone,
                           std::string(text.substr(begin, groups[matchedLast].end - begin))});
            i = matchedLast + 1;
        }
        chainStart = chainEnd;
    }
}

// ---- ID card numbers --------------------------------------------------------------------

bool plausibleBirthDate(std::string_view yyyymmdd) {
    int value[3] = {0, 0, 0};
    const std::size_t widths[3] = {4, 2, 2};
    std::size_t pos = 0;
    for (int part = 0; part < 3; ++part) {
        for (std::size_t i = 0; i < widths[part]; ++i) {
            value[part] = value[part] * 10 + (yyyymmdd[pos++] - '0');
        }
    }
    if (value[0] < 1900 || value[0] > 2100) {
        return false;
    }
    std::chrono::year_month_day date{std::chrono::year{value[0]},
                                     std::chrono::month{static_cast<unsigned>(value[1])},
                                     std::chrono::day{static_cast<unsigned>(value[2])}};
    return date.ok();
}

void findIdCards(std::string_view text, const std::vector<DigitGroup>& groups,
                 std::vector<PersonalDataFinding>& out) {
    for (const auto& g : groups) {
        std::size_t length = g.end - g.begin;
        std::size_t end = g.end;
        if (length == 17 && end < text.size() && text[end] == 'x') {
            end += 1; // 'X' is case-folded to 'x' by normalisation
        } else if (length != 18) {
            continue;
        }
        // "...x" followed by more letters is a word, not a check character.
        if (end < text.size() && (isAsciiLetter(text[end]) || isDigit(text[end]))) {
            continue;
        }
        auto candidate = text.substr(g.begin, end - g.begin);
        if (isValidChineseIdNumber(candidate)) {
            out.push_back({PersonalDataType::IdCard, std::string(candidate)});
        }
    }
}

// ---- e-mail addresses -------------------------------------------------------------------

bool isLocalChar(char c) {
    return isAsciiLetter(c) || isDigit(c) || c == '.' || c == '_' || c == '%' || c == '+' ||
           c == '-';
}

bool isDomainChar(char c) {
    return isAsciiLetter(c) || isDigit(c) || c == '.' || c == '-';
}

// A dotted domain whose last label is 2+ letters, labels non-empty.
bool validDomain(std::string_view domain) {
    auto lastDot = domain.rfind('.');
    if (lastDot == std::string_view::npos || domain.front() == '.' ||
        domain.find("..") != std::string_view::npos) {
        return false;
    }
    auto tld = domain.substr(lastDot + 1);
    if (tld.size() < 2) {
        return false;
    }
    for (char c : tld) {
        if (!isAsciiLetter(c)) {
            return false;
        }
    }
    return true;
}

void findEmails(std::string_view text, std::vector<PersonalDataFinding>& out) {
    for (auto at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
        std::size_t begin = at;
        while (begin > 0 && isLocalChar(text[begin - 1])) {
            --begin;
        }
        while (begin < at && text[begin] == '.') {
            ++begin;
        }
        std::size_t end = at + 1;
        while (end < text.size() && isDomainChar(text[end])) {
            ++end;
        }
        // A sentence's full stop or a dash after the address is not part of it.
        while (end > at + 1 && (text[end - 1] == '.' || text[end - 1] == '-')) {
            --end;
        }
        if (begin == at || end == at + 1 || text[at - 1] == '.') {
            continue;
        }
        if (validDomain(text.substr(at + 1, end - at - 1))) {
            out.push_back({PersonalDataType::Email, std::string(text.substr(begin, end - begin))});
        }
    }
}

} // namespace

const char* toString(PersonalDataType type) {
    switch (type) {
    case PersonalDataType::Phone:
        return "phone";
    case PersonalDataType::Email:
        return "email";
    case PersonalDataType::IdCard:
        return "id-card";
    }
    return "unknown";
}

char chineseIdCheckCharacter(std::string_view first17) {
    // ISO 7064 MOD 11-2: weight of position i (0-based, left to right) is 2^(17-i) mod 11.
    constexpr std::array<int, 17> kWeights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    constexpr std::string_view kCheck = "10X98765432"; // indexed by the sum mod 11
    if (first17.size() != 17) {
        return '\0';
    }
    int sum = 0;
    for (std::size_t i = 0; i < 17; ++i) {
        if (!isDigit(first17[i])) {
            return '\0';
        }
        sum += (first17[i] - '0') * kWeights[i];
    }
    return kCheck[static_cast<std::size_t>(sum % 11)];
}

bool isValidChineseIdNumber(std::string_view number) {
    if (number.size() != 18 || number[0] == '0') {
        return false;
    }
    char expected = chineseIdCheckCharacter(number.substr(0, 17));
    if (expected == '\0') {
        return false;
    }
    char last = number[17] == 'x' ? 'X' : number[17];
    return last == expected && plausibleBirthDate(number.substr(6, 8));
}

std::vector<PersonalDataFinding> findPersonalData(std::string_view normalized) {
    std::vector<DigitGroup> groups;
    for (std::size_t pos = 0; pos < normalized.size();) {
        if (!isDigit(normalized[pos])) {
            ++pos;
            continue;
        }
        std::size_t end = pos;
        while (end < normalized.size() && isDigit(normalized[end])) {
            ++end;
        }
        groups.push_back({pos, end});
        pos = end;
    }
    std::vector<PersonalDataFinding> out;
    findIdCards(normalized, groups, out);
    findPhones(normalized, groups, out);
    findEmails(normalized, out);
    return out;
}

std::string maskMiddle(std::string_view text) {
    if (text.size() <= 8) {
        return std::string(text);
    }
    // Cut on UTF-8 boundaries, and cap the stars: a 300-byte address must not become a
    // 300-byte excerpt (evidence stays short, as every other rule's excerpt does).
    auto continuation = [&](std::size_t i) {
        return (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80;
    };
    std::size_t head = 3;
    while (head > 0 && continuation(head)) {
        --head;
    }
    std::size_t tail = text.size() - 4;
    while (tail < text.size() && continuation(tail)) {
        ++tail;
    }
    constexpr std::size_t kMaxStars = 16;
    std::string out(text.substr(0, head));
    out.append(std::min(tail - head, kMaxStars), '*');
    out.append(text.substr(tail));
    return out;
}

} // namespace stagecast::moderation
