#include "config/RecordSection.h"

namespace stagecast::config::detail {

namespace {

constexpr std::array<std::string_view, 3> kFormats = {"mp4", "ts", "flv"};
constexpr std::size_t kMaxPatterns = 256;
constexpr std::int64_t kOneTiB = 1024LL * 1024 * 1024 * 1024;

bool isNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
}

/// "*" or a stream-name part: letters, digits, '_', '-', '.', not "." or "..".
bool isPatternPart(std::string_view part) {
    if (part == "*") {
        return true;
    }
    if (part.empty() || part == "." || part == "..") {
        return false;
    }
    for (char c : part) {
        if (!isNameChar(c)) {
            return false;
        }
    }
    return true;
}

Status checkPattern(const std::string& value, const std::string& path) {
    const auto slash = value.find('/');
    const bool ok = slash != std::string::npos &&
                    isPatternPart(std::string_view(value).substr(0, slash)) &&
                    isPatternPart(std::string_view(value).substr(slash + 1));
    if (!ok) {
        return fail(path + ": '" + value +
                    "' is not a stream pattern: use APP/STREAM, where either part may be '*' "
                    "(e.g. \"live/*\")");
    }
    return {};
}

Field patternsField(std::string_view name, std::vector<std::string>& target) {
    return {name, [&target](const toml::node& node, const std::string& path) -> Status {
                const auto* array = node.as_array();
                if (array == nullptr) {
                    return wrongType(path, "an array of stream patterns", node);
                }
                if (array->size() > kMaxPatterns) {
                    return fail(path + ": more than " + std::to_string(kMaxPatterns) + " patterns");
                }
                std::vector<std::string> out;
                for (std::size_t i = 0; i < array->size(); ++i) {
                    const std::string itemPath = path + "[" + std::to_string(i) + "]";
                    auto pattern = readString(*array->get(i), itemPath);
                    if (!pattern) {
                        return fail(pattern.error());
                    }
                    if (auto ok = checkPattern(*pattern, itemPath); !ok) {
                        return ok;
                    }
                    out.push_back(std::move(*pattern));
                }
                target = std::move(out);
                return {};
            }};
}

Field formatField(std::string_view name, std::string& target) {
    return {name, [&target](const toml::node& node, const std::string& path) -> Status {
                auto index = readChoice(node, path, kFormats);
                if (!index) {
                    return fail(index.error());
                }
                target = std::string(kFormats[*index]);
                return {};
            }};
}

Status checkFolder(const std::string& value, const std::string& path) {
    if (value.empty() || value.find('\0') != std::string::npos ||
        value.find('\n') != std::string::npos) {
        return fail(path + ": must be a folder path");
    }
    return {};
}

/// The full template check (placeholders, characters) is media::record's; this refuses what
/// could leave the folder.
Status checkTemplate(const std::string& value, const std::string& path) {
    if (value.empty() || value.find('/') != std::string::npos ||
        value.find('\\') != std::string::npos || value.find("..") != std::string::npos) {
        return fail(path + ": '" + value +
                    "' must be a file name template without '/', '\\' or '..' (placeholders "
                    "{app}, {stream}, {time}, {seq})");
    }
    return {};
}

} // namespace

std::vector<Field> recordFields(RecordConfig& r) {
    return {
        stringField("folder", r.folder, checkFolder),
        formatField("format", r.format),
        stringField("file_template", r.fileTemplate, checkTemplate),
        patternsField("streams", r.streams),
        intField("max_duration_seconds", r.maxDuration, 0, 7 * 86400),
        intField("max_bytes", r.maxBytes, 0, kOneTiB),
        intField("resume_window_seconds", r.resumeWindow, 0, 3600),
        intField("fragment_ms", r.fragment, 100, 10000),
        intField("min_free_bytes", r.minFreeBytes, 0, kOneTiB),
        intField("max_recorders", r.maxRecorders, 1, 1024),
    };
}

} // namespace stagecast::config::detail
