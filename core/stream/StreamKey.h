#pragma once
/// Names a stream as "APP/STREAM". Both parts are validated before a key is made, so a key
/// is always safe to use in a path or a metric label.

#include <optional>
#include <string>
#include <string_view>

#include "base/Result.h"

namespace stagecast::stream {

class StreamKey {
public:
    /// Letters, digits, '-', '_', '.' (not leading), 1..128 characters each part.
    static base::Result<StreamKey> make(std::string_view app, std::string_view name);
    /// Parses "APP/STREAM".
    static base::Result<StreamKey> parse(std::string_view appSlashName);

    const std::string& app() const { return app_; }
    const std::string& name() const { return name_; }
    std::string str() const { return app_ + "/" + name_; }

    bool operator==(const StreamKey&) const = default;
    auto operator<=>(const StreamKey&) const = default;

private:
    StreamKey(std::string app, std::string name) : app_(std::move(app)), name_(std::move(name)) {}
    std::string app_;
    std::string name_;
};

} // namespace stagecast::stream
