#include "config/SnapshotSection.h"

namespace stagecast::config::detail {

namespace {

Field evenWidthField(std::string_view name, unsigned& target) {
    return {name, [&target](const toml::node& node, const std::string& path) -> Status {
                auto value = readInt(node, path, 16, 3840);
                if (!value) {
                    return fail(value.error());
                }
                if (*value % 2 != 0) {
                    return fail(path + ": " + std::to_string(*value) +
                                " must be even (JPEG 4:2:0 halves the width)");
                }
                target = static_cast<unsigned>(*value);
                return {};
            }};
}

Status checkFolder(const std::string& value, const std::string& path) {
    if (value.empty() || value.find('\0') != std::string::npos ||
        value.find('\n') != std::string::npos) {
        return fail(path + ": must be a folder name or path");
    }
    return {};
}

} // namespace

std::vector<Field> snapshotFields(SnapshotConfig& s) {
    return {
        boolField("enabled", s.enabled),
        intField("interval_seconds", s.interval, 1, 3600),
        evenWidthField("width", s.width),
        stringField("folder", s.folder, checkFolder),
        intField("max_streams", s.maxStreams, 1, 256),
        intField("evidence_keep_hours", s.evidenceKeep, 0, 24 * 3650),
    };
}

} // namespace stagecast::config::detail
