#pragma once
/// Text normalisation for matching: what a rule list and a viewer's message are both turned
/// into before they are compared, so that full-width "ＢＡＤ", "BaD" and "bad" are one word.
///
/// The form is Unicode NFKC_Casefold (UAX #15 + the case folding of UAX #44, as utf8proc maps
/// it with COMPAT | COMPOSE | CASEFOLD | IGNORE): compatibility forms (full-width Latin and
/// digits, ligatures, circled letters, U+3000 ideographic space) become their plain forms,
/// case is folded, and default-ignorable characters (zero-width space and joiner, soft
/// hyphen...) are dropped, so "b\u200Bad" is "bad". Marks are kept (no STRIPMARK): stripping
/// them would also merge Japanese kana with their voiced forms and Vietnamese tones; "bäd"
/// therefore does not match "bad". On top of that, every run of white space and control
/// characters becomes one ASCII space and the ends are trimmed.
///
/// Input is arbitrary bytes: invalid UTF-8 becomes U+FFFD, one per bad byte, so the output is
/// always valid UTF-8. Pure functions; thread-safe.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace stagecast::moderation {

/// NFKC_Casefold + white space collapsed + trimmed (see above).
std::string normalizeText(std::string_view bytes);

/// Valid UTF-8 for any bytes: each byte that does not start a valid sequence becomes U+FFFD.
std::string sanitizeUtf8(std::string_view bytes);

/// Code points in valid UTF-8 (continuation bytes are not counted).
std::size_t codePointCount(std::string_view utf8);

/// Decodes the code point starting at `pos` of valid UTF-8; sets `length` to its byte count.
char32_t decodeAt(std::string_view utf8, std::size_t pos, std::size_t& length);
/// The code point ending just before `pos` (pos > 0) of valid UTF-8.
char32_t decodeBefore(std::string_view utf8, std::size_t pos);

/// Han, kana, Hangul and CJK punctuation: scripts written without spaces between words, so
/// list entries in them match as substrings.
bool isCjk(char32_t c);
/// A letter or digit of a space-separated script: what an English word boundary must not cut.
bool isWordChar(char32_t c);
/// True when any code point of `utf8` is CJK.
bool containsCjk(std::string_view utf8);

} // namespace stagecast::moderation
