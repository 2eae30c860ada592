#include "moderation/Normalize.h"

#include <cstdlib>
#include <memory>

#include <utf8proc.h>

namespace stagecast::moderation {

namespace {

constexpr char32_t kReplacement = 0xFFFD;

void appendUtf8(std::string& out, char32_t c) {
    utf8proc_uint8_t buffer[4];
    auto n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(c), buffer);
    out.append(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(n));
}

bool isSpaceLike(char32_t c) {
    switch (utf8proc_category(static_cast<utf8proc_int32_t>(c))) {
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
    case UTF8PROC_CATEGORY_CC:
        return true;
    default:
        return false;
    }
}

struct FreeDeleter {
    void operator()(utf8proc_uint8_t* p) const { std::free(p); }
};

} // namespace

std::string sanitizeUtf8(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    const auto* data = reinterpret_cast<const utf8proc_uint8_t*>(bytes.data());
    std::size_t pos = 0;
    while (pos < bytes.size()) {
        utf8proc_int32_t c = 0;
        auto n =
            utf8proc_iterate(data + pos, static_cast<utf8proc_ssize_t>(bytes.size() - pos), &c);
        if (n <= 0 || c < 0) {
            appendUtf8(out, kReplacement);
            ++pos;
            continue;
        }
        out.append(bytes.substr(pos, static_cast<std::size_t>(n)));
        pos += static_cast<std::size_t>(n);
    }
    return out;
}

std::string normalizeText(std::string_view bytes) {
    std::string valid = sanitizeUtf8(bytes);
    utf8proc_uint8_t* mapped = nullptr;
    constexpr auto kOptions = static_cast<utf8proc_option_t>(
        UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
    auto length = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(valid.data()),
                               static_cast<utf8proc_ssize_t>(valid.size()), &mapped, kOptions);
    std::unique_ptr<utf8proc_uint8_t, FreeDeleter> owned(mapped);
    // utf8proc_map fails only for invalid input (excluded above) or out of memory; matching
    // the un-normalised text is then better than matching nothing.
    std::string_view folded = valid;
    if (length >= 0 && mapped != nullptr) {
        folded = std::string_view(reinterpret_cast<const char*>(mapped),
                                  static_cast<std::size_t>(length));
    }

    std::string out;
    out.reserve(folded.size());
    bool pendingSpace = false;
    for (std::size_t pos = 0; pos < folded.size();) {
        std::size_t n = 0;
        char32_t c = decodeAt(folded, pos, n);
        if (isSpaceLike(c)) {
            pendingSpace = !out.empty();
        } else {
            if (pendingSpace) {
                out += ' ';
                pendingSpace = false;
            }
            out.append(folded.substr(pos, n));
        }
        pos += n;
    }
    return out;
}

std::size_t codePointCount(std::string_view utf8) {
    std::size_t count = 0;
    for (char c : utf8) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
            ++count;
        }
    }
    return count;
}

char32_t decodeAt(std::string_view utf8, std::size_t pos, std::size_t& length) {
    utf8proc_int32_t c = 0;
    auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(utf8.data() + pos),
                              static_cast<utf8proc_ssize_t>(utf8.size() - pos), &c);
    if (n <= 0 || c < 0) {
        length = 1;
        return kReplacement;
    }
    length = static_cast<std::size_t>(n);
    return static_cast<char32_t>(c);
}

char32_t decodeBefore(std::string_view utf8, std::size_t pos) {
    std::size_t start = pos - 1;
    while (start > 0 && (static_cast<unsigned char>(utf8[start]) & 0xC0) == 0x80 &&
           pos - start < 4) {
        --start;
    }
    std::size_t n = 0;
    return decodeAt(utf8, start, n);
}

bool isCjk(char32_t c) {
    return (c >= 0x1100 && c <= 0x11FF) || // Hangul Jamo
           (c >= 0x2E80 && c <= 0x2FDF) || // CJK radicals, Kangxi radicals
           (c >= 0x3000 && c <= 0x31FF) || // CJK punctuation, kana, Bopomofo, Hangul jamo
           (c >= 0x3400 && c <= 0x4DBF) || // CJK extension A
           (c >= 0x4E00 && c <= 0x9FFF) || // CJK unified ideographs
           (c >= 0xAC00 && c <= 0xD7AF) || // Hangul syllables
           (c >= 0xF900 && c <= 0xFAFF) || // CJK compatibility ideographs
           (c >= 0xFF00 && c <= 0xFFEF) || // half-width and full-width forms
           (c >= 0x20000 && c <= 0x323AF); // CJK extensions B..H
}

bool isWordChar(char32_t c) {
    if (isCjk(c)) {
        return false;
    }
    auto category = utf8proc_category(static_cast<utf8proc_int32_t>(c));
    // Letters, marks (an accent belongs to its letter) and numbers.
    return category >= UTF8PROC_CATEGORY_LU && category <= UTF8PROC_CATEGORY_NO;
}

bool containsCjk(std::string_view utf8) {
    for (std::size_t pos = 0; pos < utf8.size();) {
        std::size_t n = 0;
        if (isCjk(decodeAt(utf8, pos, n))) {
            return true;
        }
        pos += n;
    }
    return false;
}

} // namespace stagecast::moderation
