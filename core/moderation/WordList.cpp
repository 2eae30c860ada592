#include "moderation/WordList.h"

#include <algorithm>

#include "moderation/Normalize.h"

namespace stagecast::moderation {

WordList::WordList(std::string name, Action action, const std::vector<std::string>& entries)
    : name_(std::move(name)), action_(action) {
    for (const auto& raw : entries) {
        auto text = normalizeText(raw);
        if (text.empty()) {
            continue;
        }
        bool known = std::any_of(entries_.begin(), entries_.end(),
                                 [&](const Entry& e) { return e.text == text; });
        if (!known) {
            // CJK entries match anywhere; others only where they start and end words.
            bool words = !containsCjk(text);
            std::size_t n = 0;
            bool wordStart = words && isWordChar(decodeAt(text, 0, n));
            bool wordEnd = words && isWordChar(decodeBefore(text, text.size()));
            entries_.push_back({std::move(text), wordStart, wordEnd});
        }
    }
}

bool WordList::found(const Entry& entry, std::string_view normalized) const {
    for (auto pos = normalized.find(entry.text); pos != std::string_view::npos;
         pos = normalized.find(entry.text, pos + 1)) {
        auto end = pos + entry.text.size();
        std::size_t n = 0;
        bool startOk = !entry.wordStart || pos == 0 || !isWordChar(decodeBefore(normalized, pos));
        bool endOk =
            !entry.wordEnd || end == normalized.size() || !isWordChar(decodeAt(normalized, end, n));
        if (startOk && endOk) {
            return true;
        }
    }
    return false;
}

void WordList::match(std::string_view normalized, Verdict& verdict) const {
    for (const auto& entry : entries_) {
        if (found(entry, normalized)) {
            verdict.add({RuleKind::Words, name_, action_, excerptOf(entry.text)});
        }
    }
}

std::string excerptOf(std::string_view text, std::size_t maxBytes) {
    if (text.size() <= maxBytes) {
        return std::string(text);
    }
    std::size_t cut = maxBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
        --cut;
    }
    return std::string(text.substr(0, cut)) + "...";
}

} // namespace stagecast::moderation
