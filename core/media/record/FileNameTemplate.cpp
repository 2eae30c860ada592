#include "FileNameTemplate.h"

#include <array>
#include <ctime>

namespace stagecast::media::record {

namespace {

bool allowed(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

constexpr std::size_t kMaxNameLength = 200;

} // namespace

std::string sanitizeNamePart(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        out.push_back(allowed(c) ? c : '_');
    }
    if (out.empty()) {
        return "_";
    }
    if (out.front() == '.') {
        out.front() = '_';
    }
    return out;
}

std::string utcStamp(std::chrono::system_clock::time_point time) {
    const std::time_t t = std::chrono::system_clock::to_time_t(time);
    std::tm utc{};
#ifdef _WIN32
    gmtime_s(&utc, &t);
#else
    gmtime_r(&t, &utc);
#endif
    std::array<char, 32> text{};
    const auto n = std::strftime(text.data(), text.size(), "%Y%m%d-%H%M%S", &utc);
    return std::string(text.data(), n);
}

base::Result<FileNameTemplate> FileNameTemplate::parse(std::string_view text) {
    constexpr const char* kAllowed = "allowed: placeholders {app} {stream} {time} {seq} and "
                                     "letters, digits, '.', '_', '-'";
    if (text.empty()) {
        return base::fail(std::string("recording file template is empty: ") + kAllowed);
    }
    if (text.size() > kMaxNameLength) {
        return base::fail("recording file template is longer than " +
                          std::to_string(kMaxNameLength) + " characters");
    }
    std::vector<Part> parts;
    std::string literal;
    for (std::size_t i = 0; i < text.size();) {
        const char c = text[i];
        if (c == '{') {
            const auto close = text.find('}', i);
            if (close == std::string_view::npos) {
                return base::fail("recording file template \"" + std::string(text) +
                                  "\" has an unclosed '{': " + kAllowed);
            }
            const auto name = text.substr(i + 1, close - i - 1);
            Field field{};
            if (name == "app") {
                field = Field::App;
            } else if (name == "stream") {
                field = Field::Stream;
            } else if (name == "time") {
                field = Field::Time;
            } else if (name == "seq") {
                field = Field::Seq;
            } else {
                return base::fail("recording file template has an unknown placeholder {" +
                                  std::string(name) + "}: " + kAllowed);
            }
            if (!literal.empty()) {
                parts.emplace_back(std::move(literal));
                literal.clear();
            }
            parts.emplace_back(field);
            i = close + 1;
            continue;
        }
        if (!allowed(c)) {
            return base::fail("recording file template \"" + std::string(text) +
                              "\" has the character '" + std::string(1, c) + "': " + kAllowed);
        }
        literal.push_back(c);
        ++i;
    }
    if (!literal.empty()) {
        parts.emplace_back(std::move(literal));
    }
    if (const auto* first = std::get_if<std::string>(&parts.front());
        first != nullptr && first->front() == '.') {
        return base::fail("recording file template must not start with '.'");
    }
    return FileNameTemplate(std::move(parts));
}

std::string FileNameTemplate::render(const Values& values) const {
    std::string out;
    for (const auto& part : parts_) {
        if (const auto* literal = std::get_if<std::string>(&part)) {
            out += *literal;
            continue;
        }
        switch (std::get<Field>(part)) {
        case Field::App:
            out += values.app;
            break;
        case Field::Stream:
            out += values.stream;
            break;
        case Field::Time:
            out += utcStamp(values.time);
            break;
        case Field::Seq:
            out += std::to_string(values.seq);
            break;
        }
    }
    // The values are sanitised here, together with the literals, so nothing reaches outside
    // the folder whatever the stream is called.
    out = sanitizeNamePart(out);
    if (out.size() > kMaxNameLength) {
        out.resize(kMaxNameLength);
    }
    return out;
}

} // namespace stagecast::media::record
