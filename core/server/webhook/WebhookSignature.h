#pragma once
/// The signature on every webhook request (docs/webhooks.md, "Verifying a request"):
///
///     X-Stagecast-Timestamp: 1714564800
///     X-Stagecast-Signature: sha256=<lowercase hex of HMAC-SHA256(secret, "1714564800." + body)>
///
/// The timestamp (Unix seconds of this attempt) is inside the signed text, so a receiver that
/// rejects old timestamps also rejects replayed requests. Pure functions, thread-safe.

#include <cstdint>
#include <string>
#include <string_view>

namespace stagecast::server::webhook {

/// Lowercase hex HMAC-SHA256 of `data` under `key` (RFC 2104, FIPS 180-4).
std::string hmacSha256Hex(std::string_view key, std::string_view data);

/// The text that is signed: "<timestamp>.<body>".
std::string signedText(std::int64_t timestamp, std::string_view body);

/// The X-Stagecast-Signature value: "sha256=" + hmacSha256Hex(secret, signedText(...)).
std::string signatureHeader(std::string_view secret, std::int64_t timestamp, std::string_view body);

} // namespace stagecast::server::webhook
