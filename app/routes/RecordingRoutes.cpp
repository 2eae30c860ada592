#include "app/routes/RecordingRoutes.h"

#include <charconv>

#include <nlohmann/json.hpp>

#include "app/RecordWiring.h"
#include "app/routes/ModerationJson.h"
#include "app/routes/MonitorJson.h"
#include "store/Recordings.h"
#include "stream/StreamKey.h"

namespace stagecast::app {

namespace api = server::api;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::size_t kMaxListLimit = 1000;

base::Result<std::size_t> count(const std::string& query, std::string_view name,
                                std::size_t fallback, std::size_t max) {
    auto text = api::queryParam(query, name);
    if (!text) {
        return fallback;
    }
    std::size_t n = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
    if (ec != std::errc{} || end != text->data() + text->size() || n > max) {
        return base::fail(std::string(name) + ": '" + text->substr(0, 32) +
                          "' must be a whole number in 0.." + std::to_string(max));
    }
    return n;
}

std::string contentTypeOf(const fs::path& path) {
    const auto ext = path.extension().string();
    if (ext == ".mp4") {
        return "video/mp4";
    }
    if (ext == ".ts") {
        return "video/mp2t";
    }
    if (ext == ".flv") {
        return "video/x-flv";
    }
    return {};
}

json toJson(const store::Recording& r, const Recorders& recorders) {
    json j = {{"id", r.id},
              {"stream", r.stream},
              {"path", r.path},
              {"file", fs::path(r.path).filename().string()},
              {"started_at", rfc3339(r.startedAt)},
              {"ended_at", r.endedAt ? json(rfc3339(*r.endedAt)) : json(nullptr)},
              {"duration_ms", r.duration ? json(r.duration->count()) : json(nullptr)},
              {"size_bytes", r.sizeBytes ? json(*r.sizeBytes) : json(nullptr)},
              {"codecs", r.codecs},
              {"state", store::toString(r.state)},
              {"reason", r.reason},
              {"url", "/api/v1/recordings/" + std::to_string(r.id) + "/file"}};
    if (r.state == store::RecordingState::Recording) {
        if (auto progress = recorders.progress(r.path)) {
            j["duration_ms"] = progress->duration.count();
            j["size_bytes"] = progress->bytes;
        }
    }
    return j;
}

json toJson(const media::ActiveRecording& a) {
    const auto& s = a.status;
    return {{"stream", a.key.str()},
            {"origin", media::toString(a.origin)},
            {"running", s.running},
            {"current_file", s.currentFile ? json(s.currentFile->string()) : json(nullptr)},
            {"failure", s.failure},
            {"files_started", s.filesStarted},
            {"files_completed", s.filesCompleted},
            {"files_failed", s.filesFailed},
            {"resumes", s.resumes},
            {"packets", s.packets},
            {"skipped_packets", s.skippedPackets},
            {"last_problem", s.lastProblem}};
}

base::Result<stream::StreamKey> keyOf(const api::ApiRequest& request, std::size_t index) {
    if (request.segments.size() < index + 2) {
        return base::fail("expected /APP/STREAM at the end of the path");
    }
    return stream::StreamKey::parse(request.segments[index] + "/" + request.segments[index + 1]);
}

} // namespace

void RecordingRoutes::mount(api::ApiRouter& router) {
    using Handler = api::ApiResponse (RecordingRoutes::*)(const api::ApiRequest&);
    const auto add = [&](std::string pattern, std::vector<std::string> methods, Handler handler) {
        api::ApiMount m;
        m.pattern = std::move(pattern);
        m.methods = std::move(methods);
        m.handler = [this, handler](const api::ApiRequest& r) { return (this->*handler)(r); };
        m.maxBodyBytes = 4096;
        router.mount(std::move(m));
    };
    add("/api/v1/recordings", {"GET"}, &RecordingRoutes::list);
    add("/api/v1/recordings/active", {"GET"}, &RecordingRoutes::active);
    add("/api/v1/recordings/active", {"POST"}, &RecordingRoutes::startOne);
    add("/api/v1/recordings/active/*/*", {"DELETE"}, &RecordingRoutes::stopOne);
    add("/api/v1/recordings/*", {"GET"}, &RecordingRoutes::one);
    add("/api/v1/recordings/*", {"DELETE"}, &RecordingRoutes::remove);
    add("/api/v1/recordings/*/file", {"GET", "HEAD"}, &RecordingRoutes::file);
    add("/api/v1/recordings/*/clips", {"POST"}, &RecordingRoutes::startClip);
    add("/api/v1/clips", {"GET"}, &RecordingRoutes::clips);
    add("/api/v1/clips/*", {"GET"}, &RecordingRoutes::clip);
    add("/api/v1/clips/*", {"DELETE"}, &RecordingRoutes::cancelClip);
}

api::ApiResponse RecordingRoutes::list(const api::ApiRequest& request) {
    store::RecordingFilter filter;
    if (auto stream = api::queryParam(request.query, "stream"); stream && !stream->empty()) {
        auto key = stream::StreamKey::parse(*stream);
        if (!key) {
            return api::errorResponse(400, key.error().withContext("stream").message());
        }
        filter.stream = key->str();
    }
    if (auto state = api::queryParam(request.query, "state"); state && !state->empty()) {
        auto parsed = store::parseRecordingState(*state);
        if (!parsed) {
            return api::errorResponse(400, "state: '" + state->substr(0, 32) +
                                               "' is not one of recording, complete, failed, "
                                               "interrupted, deleted, recovered");
        }
        filter.state = *parsed;
    }
    auto limit = count(request.query, "limit", 100, kMaxListLimit);
    auto offset = count(request.query, "offset", 0, 1'000'000'000);
    if (!limit || !offset) {
        return api::errorResponse(400, (!limit ? limit : offset).error().message());
    }
    filter.limit = *limit;
    filter.offset = *offset;
    std::lock_guard lock(readerMutex_);
    if (!reader_) {
        auto opened = p_.writer.openReader();
        if (!opened) {
            return api::errorResponse(503, "store: " + opened.error().message());
        }
        reader_.emplace(std::move(*opened));
    }
    auto rows = store::Recordings::list(*reader_, filter);
    if (!rows) {
        return api::errorResponse(503, "store: " + rows.error().message());
    }
    json out = json::array();
    for (const auto& row : *rows) {
        out.push_back(toJson(row, p_.recorders));
    }
    return jsonAnswer(200, {{"recordings", out}, {"folder", p_.folder.string()}});
}

base::Result<store::Recording> RecordingRoutes::rowOf(const api::ApiRequest& request,
                                                      api::ApiResponse& error) {
    const auto& text = request.segments.size() > 3 ? request.segments[3] : std::string();
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc{} || end != text.data() + text.size() || id <= 0) {
        error = api::errorResponse(400, "recording id: '" + text.substr(0, 32) +
                                            "' is not a positive number");
        return base::fail("bad id");
    }
    std::lock_guard lock(readerMutex_);
    if (!reader_) {
        auto opened = p_.writer.openReader();
        if (!opened) {
            error = api::errorResponse(503, "store: " + opened.error().message());
            return base::fail("no store");
        }
        reader_.emplace(std::move(*opened));
    }
    auto row = store::Recordings::get(*reader_, id);
    if (!row) {
        error = api::errorResponse(503, "store: " + row.error().message());
        return base::fail("no store");
    }
    if (!row->has_value()) {
        error = api::errorResponse(404, "no recording " + std::to_string(id));
        return base::fail("no row");
    }
    return std::move(**row);
}

api::ApiResponse RecordingRoutes::one(const api::ApiRequest& request) {
    api::ApiResponse error;
    auto row = rowOf(request, error);
    if (!row) {
        return error;
    }
    return jsonAnswer(200, toJson(*row, p_.recorders));
}

api::ApiResponse RecordingRoutes::file(const api::ApiRequest& request) {
    api::ApiResponse error;
    auto row = rowOf(request, error);
    if (!row) {
        return error;
    }
    if (row->state == store::RecordingState::Deleted) {
        return api::errorResponse(410, "recording " + std::to_string(row->id) +
                                           " was deleted: " + row->reason);
    }
    const fs::path path = row->path;
    const auto type = contentTypeOf(path);
    std::error_code ec;
    // Only the recorder's own kinds of file: a tampered catalogue cannot serve anything else.
    if (type.empty() || !fs::is_regular_file(path, ec)) {
        return api::errorResponse(404, "the file of recording " + std::to_string(row->id) +
                                           " is not on disk: " + path.string());
    }
    api::ApiResponse r;
    r.filePath = path.string();
    r.contentType = type;
    r.downloadName = path.filename().string();
    return r;
}

api::ApiResponse RecordingRoutes::remove(const api::ApiRequest& request) {
    api::ApiResponse error;
    auto row = rowOf(request, error);
    if (!row) {
        return error;
    }
    if (row->state == store::RecordingState::Recording) {
        return api::errorResponse(409, "recording " + std::to_string(row->id) +
                                           " is still being written: stop it first");
    }
    if (row->state == store::RecordingState::Deleted) {
        return api::errorResponse(410,
                                  "recording " + std::to_string(row->id) + " is already deleted");
    }
    std::error_code ec;
    if (contentTypeOf(row->path).empty()) {
        return api::errorResponse(409, "will not delete " + row->path + ": not a recording file");
    }
    fs::remove(row->path, ec);
    if (ec) {
        return api::errorResponse(500, "cannot delete " + row->path + ": " + ec.message());
    }
    auto done = p_.writer.submitDurable([path = row->path](store::WriteContext& c) {
        return store::Recordings::setState(c, path, store::RecordingState::Deleted,
                                           "deleted over the API");
    });
    if (auto written = done.get(); !written) {
        return api::errorResponse(503, "file deleted, catalogue not updated: " +
                                           written.error().message());
    }
    return jsonAnswer(200, {{"deleted", row->id}, {"path", row->path}});
}

api::ApiResponse RecordingRoutes::active(const api::ApiRequest&) {
    json recorders = json::array();
    for (const auto& a : p_.service.active()) {
        recorders.push_back(toJson(a));
    }
    const auto disk = p_.service.disk();
    return jsonAnswer(200, {{"recorders", recorders},
                            {"disk",
                             {{"folder", disk.folder},
                              {"low", disk.low},
                              {"available_bytes", disk.availableBytes},
                              {"threshold_bytes", disk.thresholdBytes},
                              {"error", disk.error}}}});
}

api::ApiResponse RecordingRoutes::startOne(const api::ApiRequest& request) {
    auto body = objectBody(request);
    if (!body) {
        return api::errorResponse(400, body.error().message());
    }
    auto stream = stringMember(*body, "stream");
    if (!stream) {
        return api::errorResponse(400, stream.error().message());
    }
    auto key = stream::StreamKey::parse(*stream);
    if (!key) {
        return api::errorResponse(400, key.error().withContext("stream").message());
    }
    if (auto started = p_.service.startRecording(*key); !started) {
        const auto& text = started.error().message();
        const bool disk = text.starts_with("not enough disk space");
        return api::errorResponse(disk ? 507 : 409, text);
    }
    return jsonAnswer(201, {{"stream", key->str()}, {"origin", "demand"}});
}

api::ApiResponse RecordingRoutes::stopOne(const api::ApiRequest& request) {
    auto key = keyOf(request, 4);
    if (!key) {
        return api::errorResponse(400, key.error().message());
    }
    if (auto stopped = p_.service.stopRecording(*key); !stopped) {
        return api::errorResponse(404, stopped.error().message());
    }
    return jsonAnswer(200, {{"stream", key->str()}, {"stopped", true}});
}

} // namespace stagecast::app
