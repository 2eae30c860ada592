#pragma once
/// Finds personal data in normalised text (Normalize.h: full-width digits are ASCII there):
///  - phone numbers: Chinese mobile numbers (11 digits, 1[3-9]xxxxxxxxx, optionally after
///    86 / +86 / 0086) and international numbers (+ or 00, then 8..15 digits, E.164). Digit
///    groups joined by one or two of ' ', '-', '(', ')' count as one number ("138 1234 5678",
///    "+1 (555) 123-4567"); '.' and ',' do not, so decimals and prices are not numbers.
///  - e-mail addresses: local@domain.tld with an alphabetic TLD of 2+ letters.
///  - Chinese resident ID card numbers (GB 11643-1999): 17 digits and a check character
///    (0-9 or X) that satisfies ISO 7064 MOD 11-2, with a plausible birth date. The old
///    15-digit form has no check digit and is not detected (too many false positives).
/// A digit run longer than the form it would be (an order number of 20 digits) is no match.
/// Pure functions; thread-safe.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace stagecast::moderation {

enum class PersonalDataType : std::uint8_t { Phone = 1, Email, IdCard };

const char* toString(PersonalDataType type); // "phone", "email", "id-card"

struct PersonalDataFinding {
    PersonalDataType type = PersonalDataType::Phone;
    std::string text; // as found in the normalised text
};

std::vector<PersonalDataFinding> findPersonalData(std::string_view normalized);

/// 18 characters: 17 digits + check character (0-9, X or x), valid date and MOD 11-2 check.
bool isValidChineseIdNumber(std::string_view number);
/// The ISO 7064 MOD 11-2 check character ('0'..'9' or 'X') for 17 digits; '\0' if not digits.
char chineseIdCheckCharacter(std::string_view first17);

/// "138****5678": keeps the first 3 and last 4 bytes (on UTF-8 boundaries) of anything longer
/// than 8, with at most 16 stars between: evidence that does not repeat the whole number or
/// address, and stays short however long the address is.
std::string maskMiddle(std::string_view text);

} // namespace stagecast::moderation
