#include "server/auth/SignedUrl.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <vector>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "base/Hex.h"

namespace stagecast::server::auth {

namespace {

constexpr std::string_view kHexDigits = "0123456789abcdef";
constexpr std::string_view kMalformed = "malformed auth_key: expected TIMESTAMP-RAND-UID-HASH";
// SRT Access Control guidelines: a stream id is at most 512 characters (SRTO_STREAMID).
constexpr std::size_t kMaxSrtStreamId = 512;
constexpr std::string_view kSrtPrefix = "#!::";
// 9999-12-31T23:59:59Z: beyond this an ISO date needs more than four year digits.
constexpr std::int64_t kMaxIsoSeconds = 253402300799;

std::string toHex(const unsigned char* data, std::size_t size) {
    std::string out;
    out.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i) {
        out += kHexDigits[data[i] >> 4];
        out += kHexDigits[data[i] & 0x0f];
    }
    return out;
}

// Query strings (RFC 3986 section 2.1 plus the HTML form convention of '+' for space).
// A '%' not followed by two hex digits is kept literally rather than refused: the result
// only has to compare equal to what the signer meant.
std::string percentDecode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '+') {
            out += ' ';
        } else if (c == '%' && i + 2 < text.size() && base::hexValue(text[i + 1]) >= 0 &&
                   base::hexValue(text[i + 2]) >= 0) {
            out +=
                static_cast<char>(base::hexValue(text[i + 1]) * 16 + base::hexValue(text[i + 2]));
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

// Escapes what would end or corrupt a query value; the stream id's own punctuation
// ("#!::", ',', '=', '/') stays readable, as SRT tools expect it.
std::string escapeQueryValue(std::string_view value) {
    std::string out;
    for (const char c : value) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '%' || c == '&' || c == '+' || byte <= 0x20 || byte >= 0x7f) {
            constexpr std::string_view kUpperHex = "0123456789ABCDEF";
            out += '%';
            out += kUpperHex[byte >> 4];
            out += kUpperHex[byte & 0x0f];
        } else {
            out += c;
        }
    }
    return out;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const auto end = text.find(separator, start);
        parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
        if (end == std::string_view::npos) {
            return parts;
        }
        start = end + 1;
    }
}

std::string isoUtc(std::int64_t unixSeconds) {
    if (unixSeconds < 0 || unixSeconds > kMaxIsoSeconds) {
        return "@" + std::to_string(unixSeconds);
    }
    using namespace std::chrono;
    const sys_seconds time{seconds{unixSeconds}};
    const auto day = floor<days>(time);
    const year_month_day date{day};
    const hh_mm_ss clock{time - day};
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02dZ",
                  static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                  static_cast<unsigned>(date.day()), static_cast<int>(clock.hours().count()),
                  static_cast<int>(clock.minutes().count()),
                  static_cast<int>(clock.seconds().count()));
    return buffer;
}

bool isDigits(std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string signingInput(std::string_view uri, std::string_view timestamp, std::string_view rand,
                         std::string_view uid, std::string_view key) {
    std::string input;
    input.reserve(uri.size() + timestamp.size() + rand.size() + uid.size() + key.size() + 4);
    input.append(uri).append("-").append(timestamp).append("-").append(rand);
    input.append("-").append(uid).append("-").append(key);
    return input;
}

bool hashMatches(const std::string& expected, const std::string& given) {
    return expected.size() == given.size() &&
           CRYPTO_memcmp(expected.data(), given.data(), expected.size()) == 0;
}

std::int64_t saturatingAdd(std::int64_t a, std::int64_t b) {
    if (b > 0 && a > std::numeric_limits<std::int64_t>::max() - b) {
        return std::numeric_limits<std::int64_t>::max();
    }
    return a + b;
}

std::string lowercase(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](char c) {
        return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    });
    return out;
}

// Removes every "auth_key=..." (or bare "auth_key") parameter so re-signing replaces it.
std::string withoutAuthKey(std::string_view query) {
    std::string out;
    for (const auto part : split(query, '&')) {
        const auto name = part.substr(0, part.find('='));
        if (part.empty() || percentDecode(name) == "auth_key") {
            continue;
        }
        if (!out.empty()) {
            out += '&';
        }
        out.append(part);
    }
    return out;
}

// "/app/stream" with at least two non-empty segments.
bool hasAppAndStream(std::string_view path) {
    if (path.size() < 2 || path.front() != '/') {
        return false;
    }
    const auto segments = split(path.substr(1), '/');
    return segments.size() >= 2 &&
           std::none_of(segments.begin(), segments.end(), [](auto s) { return s.empty(); });
}

base::Result<std::string> signSrt(std::string_view scheme, std::string_view authority,
                                  std::string_view query, std::int64_t expiresUnix,
                                  const SigningKeys& keys) {
    const std::string_view hint = "srt URL needs ?streamid=#!::r=APP/STREAM,m=publish";
    std::vector<std::string> params;
    std::optional<std::size_t> streamIdIndex;
    for (const auto part : split(query, '&')) {
        if (part.empty()) {
            continue;
        }
        if (!streamIdIndex && percentDecode(part.substr(0, part.find('='))) == "streamid") {
            streamIdIndex = params.size();
        }
        params.emplace_back(part);
    }
    if (!streamIdIndex) {
        return base::fail(std::string(hint));
    }
    auto& param = params[*streamIdIndex];
    const auto equals = param.find('=');
    const std::string rawValue = equals == std::string::npos ? "" : param.substr(equals + 1);
    const std::string streamId = percentDecode(rawValue);
    if (!streamId.starts_with(kSrtPrefix)) {
        return base::fail(std::string(hint) + " (the stream id must use the '#!::' form)");
    }
    const auto resource = srtStreamIdParam(streamId, "r");
    if (!resource || !hasAppAndStream("/" + *resource)) {
        return base::fail(std::string(hint) + " (r= must be APP/STREAM)");
    }
    // Rebuilt from the decoded form so a re-signed id replaces its old key whatever
    // encoding the caller used; only characters that would end the query are escaped.
    std::string rebuilt(kSrtPrefix);
    for (const auto entry : split(std::string_view(streamId).substr(kSrtPrefix.size()), ',')) {
        if (entry.empty() || entry.substr(0, entry.find('=')) == "auth_key") {
            continue;
        }
        rebuilt.append(entry).append(",");
    }
    rebuilt += "auth_key=" + makeAuthKey("/" + *resource, expiresUnix, "0", "0", keys);
    if (rebuilt.size() > kMaxSrtStreamId) {
        return base::fail("signed srt streamid would be " + std::to_string(rebuilt.size()) +
                          " characters; SRT allows at most " + std::to_string(kMaxSrtStreamId));
    }
    param = param.substr(0, equals) + "=" + escapeQueryValue(rebuilt);

    std::string url(scheme);
    url.append("://").append(authority).append("?");
    for (std::size_t i = 0; i < params.size(); ++i) {
        if (i != 0) {
            url += '&';
        }
        url += params[i];
    }
    return url;
}

} // namespace

std::string md5Hex(std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    if (EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_md5(), nullptr) != 1) {
        // Only possible if the MD5 provider is unavailable (a FIPS-only OpenSSL); an empty
        // hash never matches, so verification fails closed.
        return {};
    }
    return toHex(digest.data(), size);
}

std::string makeAuthKey(std::string_view uri, std::int64_t expiresUnix, std::string_view rand,
                        std::string_view uid, const SigningKeys& keys) {
    const std::string timestamp = std::to_string(expiresUnix);
    std::string authKey = timestamp;
    authKey.append("-").append(rand).append("-").append(uid).append("-");
    authKey += md5Hex(signingInput(uri, timestamp, rand, uid, keys.primary));
    return authKey;
}

base::Status verifyAuthKey(std::string_view uri, std::optional<std::string_view> authKey,
                           std::int64_t nowUnix, const SigningKeys& keys) {
    if (!authKey || authKey->empty()) {
        return base::fail("missing auth_key");
    }
    const auto parts = split(*authKey, '-');
    if (parts.size() != 4) {
        return base::fail(std::string(kMalformed));
    }
    const auto timestampText = parts[0];
    const auto rand = parts[1];
    const auto uid = parts[2];
    const auto hash = parts[3];
    std::int64_t timestamp = 0;
    const auto [end, ec] = std::from_chars(timestampText.data(),
                                           timestampText.data() + timestampText.size(), timestamp);
    const bool hashIsHex = hash.size() == 32 && std::all_of(hash.begin(), hash.end(), [](char c) {
                               return base::hexValue(c) >= 0;
                           });
    if (!isDigits(timestampText) || ec != std::errc() ||
        end != timestampText.data() + timestampText.size() || rand.empty() || uid.empty() ||
        !hashIsHex) {
        return base::fail(std::string(kMalformed));
    }
    if (keys.primary.empty() && keys.secondary.empty()) {
        return base::fail("no signing key configured");
    }

    // The timestamp is hashed as it was written, so "0001622194197" signs differently from
    // "1622194197" exactly as the signer computed it.
    const std::string given = lowercase(hash);
    bool matched = false;
    for (const auto* key : {&keys.primary, &keys.secondary}) {
        if (key->empty()) {
            continue;
        }
        const auto expected = md5Hex(signingInput(uri, timestampText, rand, uid, *key));
        // No early exit: both keys cost the same whichever one matches.
        matched = hashMatches(expected, given) || matched;
    }
    if (!matched) {
        return base::fail("auth_key signature does not match");
    }
    const auto expiresAt = saturatingAdd(timestamp, keys.window.count());
    if (nowUnix > expiresAt) {
        return base::fail("auth_key expired at " + isoUtc(expiresAt) + " (now " + isoUtc(nowUnix) +
                          ")");
    }
    return {};
}

std::optional<std::string> queryParam(std::string_view query, std::string_view name) {
    if (query.starts_with('?')) {
        query.remove_prefix(1);
    }
    for (const auto part : split(query, '&')) {
        if (part.empty()) {
            continue;
        }
        const auto equals = part.find('=');
        if (percentDecode(part.substr(0, equals)) != name) {
            continue;
        }
        return equals == std::string_view::npos ? std::string()
                                                : percentDecode(part.substr(equals + 1));
    }
    return std::nullopt;
}

std::optional<std::string> srtStreamIdParam(std::string_view streamId, std::string_view key) {
    if (!streamId.starts_with(kSrtPrefix)) {
        return std::nullopt;
    }
    streamId.remove_prefix(kSrtPrefix.size());
    for (const auto entry : split(streamId, ',')) {
        const auto equals = entry.find('=');
        if (equals != std::string_view::npos && entry.substr(0, equals) == key) {
            return std::string(entry.substr(equals + 1));
        }
    }
    return std::nullopt;
}

base::Result<std::string> signUrl(std::string_view url, std::int64_t expiresUnix,
                                  const SigningKeys& keys) {
    const auto schemeEnd = url.find("://");
    if (schemeEnd == std::string_view::npos || schemeEnd == 0) {
        return base::fail("URL '" + std::string(url) +
                          "' has no scheme: use rtmp, rtmps, http, https or srt");
    }
    const std::string scheme = lowercase(url.substr(0, schemeEnd));
    const auto rest = url.substr(schemeEnd + 3);
    const bool isRtmp = scheme == "rtmp" || scheme == "rtmps";
    const bool isHttp = scheme == "http" || scheme == "https";
    const bool isSrt = scheme == "srt";
    if (!isRtmp && !isHttp && !isSrt) {
        return base::fail("unsupported scheme '" + std::string(url.substr(0, schemeEnd)) +
                          "': use rtmp, rtmps, http, https or srt");
    }
    const auto authorityEnd = rest.find_first_of("/?#");
    const auto authority = rest.substr(0, authorityEnd);
    if (authority.empty()) {
        return base::fail(scheme + " URL needs a host");
    }
    const auto afterAuthority =
        authorityEnd == std::string_view::npos ? std::string_view() : rest.substr(authorityEnd);

    if (isSrt) {
        // The stream id starts with '#', so for SRT everything after '?' is the query.
        const auto queryStart = afterAuthority.find('?');
        const auto path = afterAuthority.substr(0, queryStart);
        if (!path.empty() && path != "/") {
            return base::fail("srt URL takes no path: put the stream in "
                              "?streamid=#!::r=APP/STREAM,m=publish");
        }
        const auto query = queryStart == std::string_view::npos
                               ? std::string_view()
                               : afterAuthority.substr(queryStart + 1);
        return signSrt(url.substr(0, schemeEnd), authority, query, expiresUnix, keys);
    }

    const auto fragmentStart = afterAuthority.find('#');
    const auto beforeFragment = afterAuthority.substr(0, fragmentStart);
    const auto fragment = fragmentStart == std::string_view::npos
                              ? std::string_view()
                              : afterAuthority.substr(fragmentStart);
    const auto queryStart = beforeFragment.find('?');
    const auto path = beforeFragment.substr(0, queryStart);
    const auto query = queryStart == std::string_view::npos ? std::string_view()
                                                            : beforeFragment.substr(queryStart + 1);
    if (!hasAppAndStream(path)) {
        return base::fail(isRtmp ? scheme + " URL needs /APP/STREAM"
                                 : scheme + " URL needs /APP/STREAM.flv or /APP/STREAM.m3u8");
    }
    std::string signedUrl(url.substr(0, schemeEnd + 3));
    signedUrl.append(authority).append(path).append("?");
    const auto kept = withoutAuthKey(query);
    if (!kept.empty()) {
        signedUrl.append(kept).append("&");
    }
    signedUrl.append("auth_key=").append(makeAuthKey(path, expiresUnix, "0", "0", keys));
    signedUrl.append(fragment);
    return signedUrl;
}

std::string randomSecret(std::size_t bytes) {
    std::vector<unsigned char> buffer(bytes);
    if (bytes > 0 && RAND_bytes(buffer.data(), static_cast<int>(bytes)) != 1) {
        std::fprintf(stderr, "stagecast: the system random generator failed; refusing to "
                             "generate a predictable secret\n");
        std::abort();
    }
    return toHex(buffer.data(), buffer.size());
}

} // namespace stagecast::server::auth
