#pragma once
/// The SRT access-control stream id (SRT's "#!::" keyed form): `#!::r=APP/STREAM,m=publish`,
/// with Stagecast's signature as an extra key `auth_key=...`. A plain `APP/STREAM` (optionally
/// with `?auth_key=`) is accepted too, for encoders that cannot send the keyed form.

#include <string>
#include <string_view>

#include "base/Result.h"

namespace stagecast::server::srt {

enum class SrtMode : std::uint8_t { Publish = 1, Request };

struct SrtStreamId {
    std::string resource; // APP/STREAM
    SrtMode mode = SrtMode::Request;
    std::string query; // "auth_key=..." for AccessControl, empty if none
};

/// Errors name the problem ("srt streamid: m=bidirectional unsupported: use publish or request").
base::Result<SrtStreamId> parseSrtStreamId(std::string_view text);

} // namespace stagecast::server::srt
