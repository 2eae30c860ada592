#pragma once
/// Repository for `streams`: one row per "APP/STREAM" name ever seen. Other tables refer to
/// streams by id; callers use the key and the repositories resolve it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/Result.h"

namespace stagecast::store {

class StoreReader;
class WriteContext;

struct StreamName {
    std::string app;
    std::string name;
};

/// "live/cam1" -> {live, cam1}; the first '/' separates (names may contain more). A key with
/// no '/' has an empty app.
StreamName splitStreamKey(std::string_view key);

struct StreamRow {
    std::int64_t id = 0;
    std::string key; // "APP/STREAM"
};

class Streams {
public:
    Streams() = delete;

    /// The stream's id, inserting the row if new. Prefer WriteContext::streamId (cached).
    static base::Result<std::int64_t> ensure(WriteContext& context, std::string_view key);
    static base::Result<std::optional<std::int64_t>> find(StoreReader& reader,
                                                          std::string_view key);
    static base::Result<std::vector<StreamRow>> list(StoreReader& reader);
};

} // namespace stagecast::store
