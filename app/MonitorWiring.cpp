#include "app/MonitorWiring.h"

#include "app/routes/MonitorJson.h"
#include "base/Log.h"

namespace stagecast::app {

namespace {

monitor::AlertThresholds thresholdsOf(const config::MonitorConfig& m) {
    monitor::AlertThresholds t;
    t.streamDown = m.streamDown;
    t.bitrateLowPercent = m.bitrateLowPercent;
    t.bitrateWindow = m.bitrateWindow;
    t.bitrateLowFor = m.bitrateLow;
    t.fpsLowPercent = m.fpsLowPercent;
    t.fpsLowFor = m.fpsLow;
    t.keyframeMissing = m.keyframeMissing;
    t.silenceFor = m.silence;
    t.blackFor = m.black;
    t.frozenFor = m.frozen;
    t.loudnessMaxLufs = m.loudnessMaxLufs;
    t.loudnessFor = m.loudness;
    return t;
}

monitor::SamplerOptions samplerOptionsOf(const config::MonitorConfig& m) {
    monitor::SamplerOptions o;
    o.stallAfter = m.stall;
    o.retention.rawSamples = std::chrono::days{m.samplesKeepDays};
    o.retention.minutes = std::chrono::days{m.minutesKeepDays};
    return o;
}

/// What a probe sample means for the content alerts. No audio (or no picture yet) is not
/// silence (or black): those alerts are about content that is there and empty.
monitor::ContentFlags flagsOf(const media::ContentSample& s) {
    monitor::ContentFlags f;
    f.silence = s.hasAudio && s.silent;
    f.black = s.hasVideo && s.black;
    f.frozen = s.hasVideo && s.frozen;
    if (s.hasAudio) {
        f.shortTermLufs = s.shortTermLufs;
    }
    return f;
}

store::Time wallNow() {
    return store::toStoreTime(std::chrono::system_clock::now());
}

} // namespace

base::Result<std::unique_ptr<Monitoring>> Monitoring::open(const config::Config& cfg,
                                                           const std::filesystem::path& dataDir) {
    const auto path = dataDir / "stagecast.db";
    auto db = store::Database::open({path, std::chrono::milliseconds{5000}});
    if (!db) {
        return base::fail(
            db.error().withContext("cannot open the history database " + path.string()));
    }
    const auto& report = db->report();
    base::log(report.needsAttention() ? base::LogLevel::Warning : base::LogLevel::Info, "store",
              report.summary());
    std::unique_ptr<Monitoring> m(new Monitoring(cfg, std::move(*db)));
    auto closed = monitor::StoreRecorder::closeLeftOpen(m->writer_, wallNow());
    if (!closed) {
        return base::fail(closed.error().withContext(path.string()));
    }
    if (closed->publishSessions + closed->viewerSessions + closed->recordings + closed->alerts >
        0) {
        base::log(base::LogLevel::Warning, "store",
                  "the last run ended without closing " + std::to_string(closed->publishSessions) +
                      " publish sessions, " + std::to_string(closed->viewerSessions) +
                      " viewer sessions, " + std::to_string(closed->alerts) + " alerts and " +
                      std::to_string(closed->recordings) +
                      " recordings: ended now (recordings marked interrupted)");
    }
    return m;
}

Monitoring::Monitoring(const config::Config& cfg, store::Database database)
    : samplerOptions_(samplerOptionsOf(cfg.monitor)), writer_(std::move(database)),
      recorder_(writer_), alerts_(thresholdsOf(cfg.monitor), &writer_,
                                  [this](const monitor::AlertEvent& e) {
                                      if (alertSink_) {
                                          alertSink_(e);
                                          for (const auto& listener : alertListeners_) {
                                              listener(e);
                                          }
                                      }
                                  }),
      contentProbes_(cfg.monitor.contentProbes), maxProbes_(cfg.monitor.maxProbes) {
    // A frozen or silent preview or multiview is the operator's view, not what viewers get:
    // probing them would decode two more streams for alerts nobody needs.
    for (const std::string& name : {cfg.director.previewStream, std::string("live/multiview")}) {
        if (auto key = stream::StreamKey::parse(name)) {
            notProbed_.insert(*key);
        }
    }
}

Monitoring::~Monitoring() {
    // Without finish() (an early return in main) the server, made after this object, is
    // already gone: its hub must not be touched.
    server_ = nullptr;
    finish();
}

void Monitoring::attach(server::Server& server) {
    server_ = &server;
    auto& hub = server.hub();
    hub.addListener(&recorder_);
    hub.addListener(&viewers_);

    auto& events = server.events();
    alertSink_ = [&events](const monitor::AlertEvent& e) {
        events.publish("alerts", toJson(e).dump());
    };
    sampler_.emplace(
        samplerOptions_, [&hub] { return hub.snapshot(); },
        [this](const std::string& stream) { return viewers_.viewersByProtocol(stream); }, &writer_);
    sampler_->addSink([this](const std::vector<monitor::StreamHealth>& live, store::Time now) {
        alerts_.evaluate(live, now);
    });
    sampler_->addSink([&events](const std::vector<monitor::StreamHealth>& live, store::Time) {
        for (const auto& h : live) {
            events.publish("health", toJson(h).dump());
        }
    });

    if (contentProbes_) {
        media::ProbeManagerOptions options;
        options.maxProbes = maxProbes_;
        options.notFollowed = notProbed_;
        probes_.emplace(hub, options,
                        [this](const stream::StreamKey& key, const media::ContentSample& s) {
                            alerts_.onContent(key, flagsOf(s));
                        });
    }

    routes_.emplace(MonitorRoutes::Parts{*sampler_, alerts_, viewers_, recorder_, writer_});
    routes_->mount(server.api());
}

void Monitoring::start() {
    if (sampler_) {
        sampler_->start();
    }
    if (probes_) {
        probes_->start();
    }
}

void Monitoring::stopSampling() {
    if (probes_) {
        probes_->stop(); // before the alert engine they feed goes quiet
    }
    if (sampler_) {
        sampler_->stop();
    }
}

void Monitoring::finish() {
    if (finished_) {
        return;
    }
    finished_ = true;
    stopSampling();
    // Alerts end with the process; sessions were closed by the server's stop (its events).
    alerts_.closeAll(wallNow());
    alertSink_ = nullptr;
    if (server_ != nullptr) {
        server_->hub().removeListener(&recorder_);
        server_->hub().removeListener(&viewers_);
    }
    writer_.stop();
    const auto c = writer_.counters();
    base::log(base::LogLevel::Info, "store",
              "history written: " + std::to_string(c.samplesWritten) + " health samples, " +
                  std::to_string(c.opsWritten) + " events" +
                  (c.samplesDroppedOldest + c.opsRejectedFull + c.itemsLost > 0
                       ? "; lost " + std::to_string(c.samplesDroppedOldest + c.itemsLost) +
                             " samples/items and refused " + std::to_string(c.opsRejectedFull) +
                             " events when the queue was full"
                       : ""));
}

} // namespace stagecast::app
