#pragma once
/// The recording file-name template: "{app}_{stream}_{time}" and friends. A rendered name is
/// always one safe path component: only [A-Za-z0-9._-], never starting with '.', so neither a
/// stream name nor the template can reach outside the recording folder.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/Result.h"

namespace stagecast::media::record {

/// Replaces every character outside [A-Za-z0-9._-] with '_' and a leading '.' with '_'.
/// Empty input gives "_".
std::string sanitizeNamePart(std::string_view text);

/// UTC "YYYYMMDD-HHMMSS".
std::string utcStamp(std::chrono::system_clock::time_point time);

class FileNameTemplate {
public:
    /// Fails naming the bad part and what is allowed (placeholders {app} {stream} {time}
    /// {seq}; literal letters, digits, '.', '_', '-').
    static base::Result<FileNameTemplate> parse(std::string_view text);

    struct Values {
        std::string app;
        std::string stream;
        std::chrono::system_clock::time_point time;
        std::uint64_t seq = 1;
    };
    /// The file name without extension.
    std::string render(const Values& values) const;

private:
    enum class Field : std::uint8_t { App = 1, Stream, Time, Seq };
    using Part = std::variant<std::string, Field>;
    explicit FileNameTemplate(std::vector<Part> parts) : parts_(std::move(parts)) {}
    std::vector<Part> parts_;
};

} // namespace stagecast::media::record
