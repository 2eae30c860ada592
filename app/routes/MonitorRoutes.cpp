#include "app/routes/MonitorRoutes.h"

#include <charconv>

#include <nlohmann/json.hpp>

#include "app/routes/MonitorJson.h"
#include "app/routes/MonitorMetrics.h"
#include "monitor/HealthQuery.h"
#include "stream/StreamKey.h"

namespace stagecast::app {

namespace api = server::api;
using nlohmann::json;

namespace {

constexpr std::size_t kMaxListLimit = 1000;

api::ApiResponse jsonResponse(const json& value) {
    api::ApiResponse r;
    r.body = value.dump();
    return r;
}

store::Time wallNow() {
    return store::toStoreTime(std::chrono::system_clock::now());
}

std::optional<std::string_view> view(const std::optional<std::string>& s) {
    return s ? std::optional<std::string_view>(*s) : std::nullopt;
}

base::Result<std::size_t> count(const std::string& query, std::string_view name,
                                std::size_t fallback, std::size_t min, std::size_t max) {
    auto text = api::queryParam(query, name);
    if (!text) {
        return fallback;
    }
    std::size_t n = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
    if (ec != std::errc{} || end != text->data() + text->size() || n < min || n > max) {
        return base::fail(std::string(name) + ": '" + text->substr(0, 32) +
                          "' must be a whole number in " + std::to_string(min) + ".." +
                          std::to_string(max));
    }
    return n;
}

base::Result<std::optional<store::Time>> timeParam(const std::string& query,
                                                   std::string_view name) {
    auto text = api::queryParam(query, name);
    if (!text) {
        return std::optional<store::Time>{};
    }
    auto t = monitor::parseTimeParam(*text);
    if (!t) {
        return base::fail(t.error().withContext(std::string(name)));
    }
    return std::optional<store::Time>{*t};
}

/// "" (all streams) or a valid APP/NAME.
base::Result<std::string> streamParam(const std::string& query) {
    auto text = api::queryParam(query, "stream");
    if (!text || text->empty()) {
        return std::string();
    }
    auto key = stream::StreamKey::parse(*text);
    if (!key) {
        return base::fail(key.error().withContext("stream"));
    }
    return key->str();
}

base::Result<store::SessionFilter> sessionFilter(const std::string& query) {
    store::SessionFilter f;
    auto stream = streamParam(query);
    auto from = timeParam(query, "from");
    auto to = timeParam(query, "to");
    auto limit = count(query, "limit", 100, 1, kMaxListLimit);
    auto offset = count(query, "offset", 0, 0, 1'000'000'000);
    for (const auto* error : {stream ? nullptr : &stream.error(), from ? nullptr : &from.error(),
                              to ? nullptr : &to.error(), limit ? nullptr : &limit.error(),
                              offset ? nullptr : &offset.error()}) {
        if (error != nullptr) {
            return base::fail(*error);
        }
    }
    f.stream = *stream;
    f.from = *from;
    f.to = *to;
    f.limit = *limit;
    f.offset = *offset;
    f.openOnly = api::queryParam(query, "open").value_or("") == "true";
    return f;
}

} // namespace

template <typename Read>
api::ApiResponse MonitorRoutes::withReader(Read read) {
    std::lock_guard lock(readerMutex_);
    if (!reader_) {
        auto opened = p_.writer.openReader();
        if (!opened) {
            return api::errorResponse(503, "store: " + opened.error().message());
        }
        reader_.emplace(std::move(*opened));
    }
    return read(*reader_);
}

void MonitorRoutes::mount(api::ApiRouter& router) {
    const auto get = [&](std::string pattern,
                         api::ApiResponse (MonitorRoutes::*handler)(const api::ApiRequest&)) {
        api::ApiMount m;
        m.pattern = std::move(pattern);
        m.methods = {"GET"};
        m.handler = [this, handler](const api::ApiRequest& r) { return (this->*handler)(r); };
        router.mount(std::move(m));
    };
    get("/api/v1/health", &MonitorRoutes::liveHealth);
    get("/api/v1/streams/*/*/health", &MonitorRoutes::health);
    get("/api/v1/alerts", &MonitorRoutes::alerts);
    get("/api/v1/viewers", &MonitorRoutes::viewers);
    get("/api/v1/sessions/publish", &MonitorRoutes::publishSessions);
    get("/api/v1/sessions/viewers", &MonitorRoutes::viewerSessions);
    router.addMetrics([this] { return metrics(); });
}

api::ApiResponse MonitorRoutes::liveHealth(const api::ApiRequest&) {
    json streams = json::array();
    for (const auto& h : p_.sampler.live()) {
        streams.push_back(toJson(h));
    }
    return jsonResponse({{"streams", streams}});
}

api::ApiResponse MonitorRoutes::health(const api::ApiRequest& request) {
    // segments: api v1 streams APP NAME health
    auto key = stream::StreamKey::make(request.segments.at(3), request.segments.at(4));
    if (!key) {
        return api::errorResponse(400, key.error().message());
    }
    const auto& q = request.query;
    auto range =
        monitor::parseHealthRange(view(api::queryParam(q, "from")), view(api::queryParam(q, "to")),
                                  view(api::queryParam(q, "points")), wallNow());
    if (!range) {
        return api::errorResponse(400, range.error().message());
    }
    return withReader([&](store::StoreReader& reader) {
        auto points = monitor::queryHealth(reader, key->str(), *range);
        if (!points) {
            return api::errorResponse(500, points.error().message());
        }
        json out = json::array();
        for (const auto& p : *points) {
            out.push_back(toJson(p));
        }
        auto live = p_.sampler.live(key->str());
        return jsonResponse({{"stream", key->str()},
                             {"from", rfc3339(range->from)},
                             {"to", rfc3339(range->to)},
                             {"max_points", range->points},
                             {"points", out},
                             {"live", live ? toJson(*live) : json(nullptr)}});
    });
}

api::ApiResponse MonitorRoutes::alerts(const api::ApiRequest& request) {
    const auto& q = request.query;
    const auto state = api::queryParam(q, "state").value_or("all");
    if (state != "open" && state != "closed" && state != "all") {
        return api::errorResponse(400, "state: '" + state.substr(0, 32) +
                                           "' is not one of open, closed, all");
    }
    auto stream = streamParam(q);
    auto from = timeParam(q, "from");
    auto to = timeParam(q, "to");
    auto limit = count(q, "limit", 100, 1, kMaxListLimit);
    for (const auto* error : {stream ? nullptr : &stream.error(), from ? nullptr : &from.error(),
                              to ? nullptr : &to.error(), limit ? nullptr : &limit.error()}) {
        if (error != nullptr) {
            return api::errorResponse(400, error->message());
        }
    }
    return withReader([&](store::StoreReader& reader) {
        store::AlertFilter f;
        f.stream = *stream;
        f.openOnly = state == "open";
        f.from = *from;
        f.to = *to;
        f.limit = *limit;
        json out = json::array();
        const auto now = wallNow();
        // Closed alerts have no filter of their own in the store: page until enough are found.
        for (int page = 0; page < 50 && out.size() < *limit; ++page) {
            auto listed = store::Alerts::list(reader, f);
            if (!listed) {
                return api::errorResponse(500, listed.error().message());
            }
            for (const auto& a : *listed) {
                if (state != "closed" || a.closedAt) {
                    if (out.size() < *limit) {
                        out.push_back(toJson(a, now));
                    }
                }
            }
            if (listed->size() < f.limit || state != "closed") {
                break;
            }
            f.offset += f.limit;
        }
        return jsonResponse({{"alerts", out}, {"open_now", p_.alerts.openCount()}});
    });
}

api::ApiResponse MonitorRoutes::viewers(const api::ApiRequest&) {
    return jsonResponse(toJson(p_.viewers.report()));
}

api::ApiResponse MonitorRoutes::publishSessions(const api::ApiRequest& request) {
    auto filter = sessionFilter(request.query);
    if (!filter) {
        return api::errorResponse(400, filter.error().message());
    }
    return withReader([&](store::StoreReader& reader) {
        auto sessions = store::PublishSessions::list(reader, *filter);
        if (!sessions) {
            return api::errorResponse(500, sessions.error().message());
        }
        json out = json::array();
        for (const auto& s : *sessions) {
            out.push_back(toJson(s));
        }
        return jsonResponse({{"sessions", out}});
    });
}

api::ApiResponse MonitorRoutes::viewerSessions(const api::ApiRequest& request) {
    auto filter = sessionFilter(request.query);
    if (!filter) {
        return api::errorResponse(400, filter.error().message());
    }
    return withReader([&](store::StoreReader& reader) {
        auto sessions = store::ViewerSessions::list(reader, *filter);
        if (!sessions) {
            return api::errorResponse(500, sessions.error().message());
        }
        json out = json::array();
        for (const auto& s : *sessions) {
            out.push_back(toJson(s));
        }
        return jsonResponse({{"sessions", out}});
    });
}

std::string MonitorRoutes::metrics() const {
    return renderMonitorMetrics({p_.sampler.live(), p_.alerts.openAlerts(), p_.viewers.report(),
                                 p_.writer.counters(), p_.recorder.refused()});
}

} // namespace stagecast::app
