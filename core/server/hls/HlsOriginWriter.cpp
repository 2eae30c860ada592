#include "HlsOriginWriter.h"

#include "base/Log.h"
#include "server/webhook/Backoff.h"

namespace stagecast::server::hls {

HlsOriginWriter::HlsOriginWriter(OriginOptions options, Limits limits)
    : HlsOutput("origin", options.url.display(), limits), options_(std::move(options)),
      client_(options_.url, options_.header, options_.timeout, options_.tls) {
    if (options_.url.tls && !options_.tls.verify) {
        base::log(base::LogLevel::Warning, "hls",
                  "hls.origin_tls_verify is off: the origin's certificate is not checked");
    }
    startThread();
}

HlsOriginWriter::~HlsOriginWriter() {
    stop();
}

HlsOutput::Attempt HlsOriginWriter::request(const HlsOutputJob& job, std::string_view method,
                                            const std::string& file, std::string_view contentType,
                                            std::string_view body) {
    const auto path = "/" + job.app + "/" + job.name + "/" + file;
    const auto shown = std::string(method) + " " + options_.url.display() + path;
    auto answer = client_.send(method, path, contentType, body);
    if (answer && answer->reconnected) {
        if (everConnected_) {
            countReconnect(job.app + "/" + job.name);
        }
        everConnected_ = true;
    }
    if (!answer) {
        return {shown + ": " + answer.error().message(), true};
    }
    const auto status = answer->status;
    if (status >= 200 && status < 300) {
        return {};
    }
    if (method == "DELETE" && status == 404) {
        return {}; // already gone
    }
    return {shown + ": answered " + std::to_string(status), webhook::isRetryable(status)};
}

HlsOutput::Attempt HlsOriginWriter::storeSegment(const HlsOutputJob& job) {
    const auto& bytes = *job.segment;
    return request(job, "PUT", std::to_string(job.sequence) + ".ts", "video/mp2t",
                   std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

HlsOutput::Attempt HlsOriginWriter::storePlaylist(const HlsOutputJob& job,
                                                  const std::string& text) {
    return request(job, "PUT", "index.m3u8", "application/vnd.apple.mpegurl", text);
}

void HlsOriginWriter::removeExpired(const HlsOutputJob& job,
                                    const std::vector<std::uint64_t>& stored) {
    if (!options_.remove) {
        return;
    }
    std::uint64_t removed = 0;
    for (auto sequence : stored) {
        // One attempt: a segment left behind costs the origin's storage, not the viewers.
        auto result = request(job, "DELETE", std::to_string(sequence) + ".ts", {}, {});
        if (result.error.empty()) {
            ++removed;
        } else {
            logFailure(job.app + "/" + job.name, result.error);
        }
    }
    if (removed > 0) {
        countRemoved(job.app + "/" + job.name, removed);
    }
}

std::optional<std::chrono::milliseconds> HlsOriginWriter::retryDelay(unsigned retry) const {
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    return webhook::retryDelay(retry, std::chrono::milliseconds(250), std::chrono::seconds(5),
                               unit(jitter_));
}

void HlsOriginWriter::logFailure(const std::string& stream, const std::string& message) {
    base::log(base::LogLevel::Warning, "hls", stream + ": HLS origin: " + message);
}

} // namespace stagecast::server::hls
