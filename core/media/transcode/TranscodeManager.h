#pragma once
/// Which streams are transcoded: by rule (a stream whose APP/STREAM matches a rule's pattern
/// when it is published, until it unpublishes) or on demand (the API; until stopped, across
/// republishes). At most `maxTranscodes` at once. Streams published by a transcoder (the
/// renditions themselves) never match a rule.
///
/// Threads: thread-safe. onPublished() may be called from a hub listener (with hub locks
/// held): it only starts a thread and joins threads that have already ended.

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "media/transcode/Transcoder.h"

namespace stagecast::media::transcode {

struct TranscodeRule {
    std::string pattern; // "live/*": '*' matches any run of characters within a part
    std::vector<std::string> renditions;
    RateMode mode = RateMode::Fixed;
};

struct TranscodeManagerOptions {
    TranscoderOptions transcoder;
    std::vector<TranscodeRule> rules;
    unsigned maxTranscodes = 2;
};

/// True when `stream` ("APP/NAME") matches `pattern` ("live/*", "*/*", "live/town-hall").
bool matchesPattern(std::string_view pattern, std::string_view stream);
/// The templates of `names`, in order; fails on an empty list or an unknown name (listing
/// the templates there are).
base::Result<std::vector<RenditionTemplate>> templatesOf(const std::vector<std::string>& names);

class TranscodeManager {
public:
    TranscodeManager(stream::Hub& hub, TranscodeManagerOptions options, TranscodeEventSink onEvent);
    ~TranscodeManager();
    TranscodeManager(const TranscodeManager&) = delete;
    TranscodeManager& operator=(const TranscodeManager&) = delete;

    /// On demand. Fails when the stream is already transcoded, a name is not a template, or
    /// the limit is reached.
    base::Result<TranscoderStatus> start(const stream::StreamKey& source,
                                         const std::vector<std::string>& renditions, RateMode mode);
    /// Ends the transcode of `source` (rule or on demand); fails when there is none.
    base::Status stop(const stream::StreamKey& source);
    /// A stream was published by `protocol`: start the first matching rule's transcode.
    void onPublished(const std::string& stream, const std::string& protocol);
    /// Ends every transcode. Idempotent.
    void stopAll();

    std::vector<TranscoderStatus> status() const;
    std::optional<TranscoderStatus> status(const stream::StreamKey& source) const;
    const TranscodeManagerOptions& options() const { return options_; }

private:
    base::Status startLocked(TranscodeSpec spec);
    void reapLocked();

    stream::Hub& hub_;
    const TranscodeManagerOptions options_;
    const TranscodeEventSink onEvent_;

    mutable std::mutex mutex_;
    bool stopped_ = false;
    std::map<stream::StreamKey, std::unique_ptr<Transcoder>> transcoders_;
};

} // namespace stagecast::media::transcode
