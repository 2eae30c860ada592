#include "media/transcode/TranscodeManager.h"

#include "base/Log.h"

namespace stagecast::media::transcode {

namespace {

/// Glob with '*' (any run of characters, none of them '/').
bool globMatch(std::string_view pattern, std::string_view text) {
    if (pattern.empty()) {
        return text.empty();
    }
    if (pattern.front() == '*') {
        for (std::size_t i = 0; i <= text.size(); ++i) {
            if (globMatch(pattern.substr(1), text.substr(i))) {
                return true;
            }
            if (i < text.size() && text[i] == '/') {
                break;
            }
        }
        return false;
    }
    return !text.empty() && pattern.front() == text.front() &&
           globMatch(pattern.substr(1), text.substr(1));
}

} // namespace

bool matchesPattern(std::string_view pattern, std::string_view stream) {
    return globMatch(pattern, stream);
}

base::Result<std::vector<RenditionTemplate>> templatesOf(const std::vector<std::string>& names) {
    if (names.empty()) {
        return base::fail("renditions: list at least one template (1080p, 720p, 480p, 360p)");
    }
    std::vector<RenditionTemplate> out;
    for (const auto& n : names) {
        auto t = findTemplate(n);
        if (!t) {
            return base::fail(t.error());
        }
        out.push_back(*t);
    }
    return out;
}

TranscodeManager::TranscodeManager(stream::Hub& hub, TranscodeManagerOptions options,
                                   TranscodeEventSink onEvent)
    : hub_(hub), options_(std::move(options)), onEvent_(std::move(onEvent)) {}

TranscodeManager::~TranscodeManager() {
    stopAll();
}

void TranscodeManager::reapLocked() {
    for (auto it = transcoders_.begin(); it != transcoders_.end();) {
        if (it->second->finished()) {
            it = transcoders_.erase(it); // the thread has returned: the join is immediate
        } else {
            ++it;
        }
    }
}

base::Status TranscodeManager::startLocked(TranscodeSpec spec) {
    if (stopped_) {
        return base::fail("the transcoder is shutting down");
    }
    reapLocked();
    if (transcoders_.contains(spec.source)) {
        return base::fail(spec.source.str() + " is already transcoded");
    }
    if (transcoders_.size() >= options_.maxTranscodes) {
        return base::fail("already " + std::to_string(transcoders_.size()) +
                          " transcodes running: the limit is transcode.max_transcodes = " +
                          std::to_string(options_.maxTranscodes));
    }
    auto key = spec.source;
    auto t = std::make_unique<Transcoder>(hub_, std::move(spec), options_.transcoder, onEvent_);
    t->start();
    transcoders_.emplace(std::move(key), std::move(t));
    return {};
}

base::Result<TranscoderStatus> TranscodeManager::start(const stream::StreamKey& source,
                                                       const std::vector<std::string>& renditions,
                                                       RateMode mode) {
    auto templates = templatesOf(renditions);
    if (!templates) {
        return base::fail(templates.error());
    }
    std::lock_guard lock(mutex_);
    if (auto ok = startLocked({source, std::move(*templates), mode, false, "api"}); !ok) {
        return base::fail(ok.error());
    }
    return transcoders_.at(source)->status();
}

base::Status TranscodeManager::stop(const stream::StreamKey& source) {
    std::unique_ptr<Transcoder> t;
    {
        std::lock_guard lock(mutex_);
        auto it = transcoders_.find(source);
        if (it == transcoders_.end()) {
            return base::fail("no transcode of " + source.str());
        }
        t = std::move(it->second);
        transcoders_.erase(it);
    }
    t->stop(); // joins outside the lock
    return {};
}

void TranscodeManager::onPublished(const std::string& stream, const std::string& protocol) {
    if (protocol == "transcode") {
        return; // a rendition
    }
    for (const auto& rule : options_.rules) {
        if (!matchesPattern(rule.pattern, stream)) {
            continue;
        }
        auto key = stream::StreamKey::parse(stream);
        auto templates = templatesOf(rule.renditions);
        if (!key || !templates) {
            return; // the config was validated; a bad key cannot be published
        }
        std::lock_guard lock(mutex_);
        reapLocked();
        if (transcoders_.contains(*key)) {
            return; // on demand, or still running from the previous publish
        }
        auto ok =
            startLocked({*key, std::move(*templates), rule.mode, true, "rule " + rule.pattern});
        if (!ok) {
            base::log(base::LogLevel::Warning, "transcode",
                      stream + ": rule " + rule.pattern + ": " + ok.error().message());
        }
        return;
    }
}

void TranscodeManager::stopAll() {
    std::map<stream::StreamKey, std::unique_ptr<Transcoder>> all;
    {
        std::lock_guard lock(mutex_);
        stopped_ = true;
        all.swap(transcoders_);
    }
    for (auto& [key, t] : all) {
        t->stop();
    }
}

std::vector<TranscoderStatus> TranscodeManager::status() const {
    std::lock_guard lock(mutex_);
    std::vector<TranscoderStatus> out;
    for (const auto& [key, t] : transcoders_) {
        out.push_back(t->status());
    }
    return out;
}

std::optional<TranscoderStatus> TranscodeManager::status(const stream::StreamKey& source) const {
    std::lock_guard lock(mutex_);
    auto it = transcoders_.find(source);
    if (it == transcoders_.end()) {
        return std::nullopt;
    }
    return it->second->status();
}

} // namespace stagecast::media::transcode
