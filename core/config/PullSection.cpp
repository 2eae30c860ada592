#include "config/PullSection.h"

#include <algorithm>

#include "config/ConfigFields.h"

namespace stagecast::config::detail {

namespace {

constexpr std::size_t kMaxPulls = 256;

bool validStreamName(const std::string& s) {
    const auto slash = s.find('/');
    return slash != std::string::npos && slash > 0 && slash + 1 < s.size() &&
           s.find('/', slash + 1) == std::string::npos &&
           std::all_of(s.begin(), s.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.' || c == '/';
           });
}

Status checkUrl(const std::string& url, const std::string& path) {
    for (const char* scheme : {"rtmp://", "rtmps://", "http://", "https://", "srt://"}) {
        if (url.starts_with(scheme) && url.size() > std::string_view(scheme).size()) {
            const bool clean = std::none_of(url.begin(), url.end(), [](char c) {
                return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f;
            });
            if (clean) {
                return {};
            }
            return fail(path + ": must not contain spaces or control characters");
        }
    }
    return fail(path + ": '" + url.substr(0, url.find('?')) +
                "' must be an rtmp://, rtmps://, http(s):// (FLV or HLS) or srt:// URL");
}

} // namespace

Status readPulls(const toml::node& node, std::vector<PullConfig>& pulls) {
    const auto* array = node.as_array();
    if (array == nullptr) {
        return wrongType("pull", "an array of [[pull]] tables", node);
    }
    if (array->size() > kMaxPulls) {
        return fail("pull: at most " + std::to_string(kMaxPulls) + " entries");
    }
    for (std::size_t i = 0; i < array->size(); ++i) {
        const std::string path = "pull[" + std::to_string(i) + "]";
        const auto* table = array->get(i)->as_table();
        if (table == nullptr) {
            return wrongType(path, "a table with stream and url", *array->get(i));
        }
        PullConfig pull;
        if (auto ok = readFields(
                *table, path, {stringField("stream", pull.stream), stringField("url", pull.url)});
            !ok) {
            return ok;
        }
        if (!validStreamName(pull.stream)) {
            return fail(path + ".stream: '" + pull.stream + "' must be APP/NAME");
        }
        if (auto ok = checkUrl(pull.url, path + ".url"); !ok) {
            return ok;
        }
        for (const auto& other : pulls) {
            if (other.stream == pull.stream) {
                return fail(path + ".stream: '" + pull.stream +
                            "' is already pulled by an earlier entry");
            }
        }
        pulls.push_back(std::move(pull));
    }
    return {};
}

} // namespace stagecast::config::detail
