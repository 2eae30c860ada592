#pragma once
/// "Type A" signed URLs as used by cloud live platforms (Alibaba Cloud ApsaraVideo Live URL
/// authentication, type A): the query carries
///   auth_key=TIMESTAMP-RAND-UID-HASH
///   HASH = lowercase hex md5("URI-TIMESTAMP-RAND-UID-KEY")
/// where URI is the path without the query ("/live/foo", "/live/foo.flv"). The URL is valid
/// until TIMESTAMP + window. Two keys are accepted so a key can be rotated without breaking
/// URLs already handed out.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/Result.h"

namespace stagecast::server::auth {

struct SigningKeys {
    std::string primary;
    std::string secondary; // empty = none
    std::chrono::seconds window{0};
};

std::string md5Hex(std::string_view data);

/// Returns the auth_key value (TIMESTAMP-RAND-UID-HASH) signed with keys.primary.
/// `rand` and `uid` must not contain '-' (verifyAuthKey would refuse the result).
std::string makeAuthKey(std::string_view uri, std::int64_t expiresUnix, std::string_view rand,
                        std::string_view uid, const SigningKeys& keys);

/// Checks an auth_key for uri at time now (Unix seconds). Error messages (distinct):
/// "missing auth_key", "malformed auth_key: expected TIMESTAMP-RAND-UID-HASH",
/// "auth_key expired at <ISO-8601 UTC> (now <ISO>)", "auth_key signature does not match",
/// "no signing key configured". RAND and UID may not contain '-' or be empty; the HASH
/// must be 32 hex chars (either case). The signature is checked before the expiry, so only
/// a holder of the key learns that a URL has merely expired.
base::Status verifyAuthKey(std::string_view uri, std::optional<std::string_view> authKey,
                           std::int64_t nowUnix, const SigningKeys& keys);

/// URL query helpers: value of a parameter (percent-decoded, '+' as space), nullopt if absent.
/// A leading '?' is ignored; the first occurrence wins; "a&b" gives "" for "a".
std::optional<std::string> queryParam(std::string_view query, std::string_view name);

/// Value of `key` in an SRT access-control stream id ("#!::r=live/foo,m=publish,auth_key=..."
/// per the SRT Access Control guidelines), nullopt if absent or not in the "#!::" form.
std::optional<std::string> srtStreamIdParam(std::string_view streamId, std::string_view key);

/// Signs a full URL: rtmp://h:p/app/stream[?q] -> appends auth_key for URI "/app/stream";
/// http(s)://h:p/app/stream.flv -> URI "/app/stream.flv" (.m3u8 likewise);
/// srt://h:p?streamid=#!::r=app/stream,m=publish -> URI "/app/stream", and the auth_key is
/// put INSIDE the streamid as an extra key ",auth_key=..." (the SRT listener reads it there).
/// An existing auth_key is replaced. RAND and UID are "0", so signing is deterministic.
/// Errors name what is wrong ("unsupported scheme 'ftp': use rtmp, rtmps, http, https or srt";
/// "rtmp URL needs /APP/STREAM").
base::Result<std::string> signUrl(std::string_view url, std::int64_t expiresUnix,
                                  const SigningKeys& keys);

/// Random secret for generated keys/tokens: 2*bytes lowercase hex chars from RAND_bytes.
/// Aborts if the CSPRNG fails: a predictable secret is worse than no server.
std::string randomSecret(std::size_t bytes = 16);

} // namespace stagecast::server::auth
