#include "ApiRouter.h"

#include <charconv>
#include <map>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/api/DvrJson.h"
#include "server/api/Metrics.h"
#include "server/api/StreamJson.h"
#include "server/hls/HlsService.h"

namespace stagecast::server::api {

using nlohmann::json;

namespace {

ApiResponse jsonResponse(const json& value, unsigned status = 200) {
    ApiResponse r;
    r.status = status;
    r.body = value.dump();
    return r;
}

} // namespace

ApiResponse errorResponse(unsigned status, std::string_view message) {
    return jsonResponse(json{{"error", message}}, status);
}

ApiResponse ApiRouter::handle(std::string_view method, std::string_view path,
                              std::string_view /*body*/) {
    auto parts = pathParts(path);
    bool get = method == "GET";
    bool del = method == "DELETE";
    if (parts.size() == 1 && parts[0] == "metrics" && get) {
        return metrics();
    }
    if (parts.size() < 3 || parts[0] != "api" || parts[1] != "v1") {
        return errorResponse(404, "no such endpoint: " + std::string(path));
    }
    auto resource = parts[2];
    if (resource == "summary" && parts.size() == 3 && get) {
        return summary();
    }
    if (resource == "streams") {
        if (parts.size() == 3 && get) {
            return streams();
        }
        if (parts.size() == 5 && get) {
            return stream(parts[3], parts[4]);
        }
        if (parts.size() == 5 && del) {
            return kickStream(parts[3], parts[4]);
        }
    }
    if (resource == "hls" && parts.size() == 4 && parts[3] == "dvr" && get) {
        return jsonResponse(dvrWindowsJson(ctx_.hls));
    }
    if (resource == "relays" && parts.size() == 3 && get) {
        return relays();
    }
    if (resource == "clients") {
        if (parts.size() == 3 && get) {
            return clients();
        }
        if (parts.size() == 4 && del) {
            return kickClient(parts[3]);
        }
    }
    return errorResponse(get || del ? 404 : 405, std::string("no such endpoint: ") +
                                                     std::string(method) + " " + std::string(path));
}

void ApiRouter::mount(ApiMount mount) {
    mounts_.push_back(std::move(mount));
}

const ApiMount* ApiRouter::findMount(std::string_view method,
                                     const std::vector<std::string>& segments) const {
    const ApiMount* best = nullptr;
    int bestScore = -1;
    for (const auto& m : mounts_) {
        auto score = matchScore(m.pattern, segments);
        if (!score || *score <= bestScore) {
            continue;
        }
        bool methodOk = m.methods.empty();
        for (const auto& allowed : m.methods) {
            methodOk = methodOk || allowed == method;
        }
        if (methodOk) {
            best = &m;
            bestScore = *score;
        }
    }
    return best;
}

void ApiRouter::addMetrics(std::function<std::string()> render) {
    metrics_.push_back(std::move(render));
}

ApiResponse ApiRouter::summary() {
    auto all = ctx_.hub.snapshot();
    auto clientList = ctx_.clients.list();
    std::size_t live = 0;
    for (const auto& s : all) {
        live += s.live ? 1 : 0;
    }
    std::map<std::string, std::size_t> roles;
    for (const auto& c : clientList) {
        roles[toString(c.role)]++;
    }
    auto uptime = std::chrono::duration<double>(std::chrono::steady_clock::now() - ctx_.startedAt);
    json j = {
        {"version", ctx_.options.version},
        {"uptime_seconds", uptime.count()},
        {"streams", live},
        {"clients", clientList.size()},
        {"publishers", roles["publisher"]},
        {"players", roles["player"]},
        {"bytes_in", ctx_.clients.totalBytesIn()},
        {"bytes_out", ctx_.clients.totalBytesOut()},
        {"rtmp_port", ctx_.options.rtmpPort},
        {"http_port", ctx_.options.httpPort},
        {"publish_auth", ctx_.access.options().publishAuth},
        {"play_auth", ctx_.access.options().playAuth},
    };
    return jsonResponse(j);
}

json ApiRouter::withHlsOutputs(json stream, const std::string& key) const {
    if (ctx_.hls == nullptr) {
        return stream;
    }
    json outputs = json::array();
    for (const auto& o : ctx_.hls->outputStats(key)) {
        outputs.push_back(hlsOutputToJson(o));
    }
    if (!outputs.empty()) {
        stream["hls_outputs"] = std::move(outputs);
    }
    return stream;
}

ApiResponse ApiRouter::streams() {
    auto clientList = ctx_.clients.list();
    json arr = json::array();
    for (const auto& s : ctx_.hub.snapshot()) {
        arr.push_back(withHlsOutputs(streamToJson(s, clientList), s.key));
    }
    return jsonResponse(json{{"streams", arr}});
}

ApiResponse ApiRouter::stream(std::string_view app, std::string_view name) {
    auto key = stream::StreamKey::make(app, name);
    if (!key) {
        return errorResponse(400, key.error().message());
    }
    auto s = ctx_.hub.snapshot(*key);
    if (!s) {
        return errorResponse(404, "no stream " + key->str());
    }
    return jsonResponse(withHlsOutputs(streamToJson(*s, ctx_.clients.list()), s->key));
}

ApiResponse ApiRouter::kickStream(std::string_view app, std::string_view name) {
    auto key = stream::StreamKey::make(app, name);
    if (!key) {
        return errorResponse(400, key.error().message());
    }
    if (!ctx_.hub.kickStream(*key, "kicked by operator")) {
        return errorResponse(404, "no stream " + key->str());
    }
    return jsonResponse(json{{"kicked", key->str()}});
}

ApiResponse ApiRouter::clients() {
    json arr = json::array();
    for (const auto& c : ctx_.clients.list()) {
        arr.push_back(clientToJson(c));
    }
    return jsonResponse(json{{"clients", arr}});
}

ApiResponse ApiRouter::kickClient(std::string_view idText) {
    std::uint64_t id = 0;
    auto [end, ec] = std::from_chars(idText.data(), idText.data() + idText.size(), id);
    if (ec != std::errc() || end != idText.data() + idText.size()) {
        return errorResponse(400, "client id must be a number, got '" + std::string(idText) + "'");
    }
    if (!ctx_.clients.kick(id, "kicked by operator")) {
        return errorResponse(404, "no client " + std::string(idText));
    }
    return jsonResponse(json{{"kicked", id}});
}

ApiResponse ApiRouter::relays() {
    json arr = json::array();
    for (const auto& r : ctx_.relays.statuses()) {
        arr.push_back(relayToJson(r));
    }
    return jsonResponse(json{{"relays", arr}});
}

ApiResponse ApiRouter::metrics() {
    ApiResponse r;
    r.contentType = "text/plain; version=0.0.4; charset=utf-8";
    r.body = renderMetrics(ctx_);
    for (const auto& render : metrics_) {
        r.body += render();
    }
    return r;
}

} // namespace stagecast::server::api
