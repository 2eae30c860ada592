// stagecast: the command line and the composition root.

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <thread>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "app/DataDir.h"
#include "app/DirectorWiring.h"
#include "app/GuiSession.h"
#include "app/ModerationWiring.h"
#include "app/MonitorWiring.h"
#include "app/PullWiring.h"
#include "app/RecordWiring.h"
#include "app/ServerSetup.h"
#include "app/SnapshotWiring.h"
#include "app/TranscodeWiring.h"
#include "base/Log.h"
#include "config/Config.h"
#include "server/Server.h"
#include "server/UrlParts.h"
#include "server/auth/SignedUrl.h"

namespace fs = std::filesystem;
using namespace stagecast;

namespace {

struct Options {
    bool headless = false;
    bool director = false;
    bool demo = false;
    std::string dataDir;
    std::string configFile;
    std::optional<std::uint16_t> rtmpPort;
    std::optional<std::uint16_t> httpPort;
    std::optional<std::uint16_t> srtPort;
    std::int64_t expires = 3600;
    std::string url;
};

int fail(const std::string& message) {
    std::fprintf(stderr, "stagecast: %s\n", message.c_str());
    return 1;
}

fs::path dataDirOf(const Options& o) {
    return o.dataDir.empty() ? app::defaultDataDir() : fs::path(o.dataDir);
}

/// The configuration: --config FILE, else DATA/stagecast.toml if present, else defaults.
base::Result<config::Config> loadConfig(const Options& o) {
    fs::path file = o.configFile;
    if (file.empty()) {
        auto candidate = dataDirOf(o) / "stagecast.toml";
        std::error_code ec;
        if (!fs::exists(candidate, ec)) {
            return config::Config{};
        }
        file = candidate;
    }
    return config::loadConfigFile(file);
}

struct Loaded {
    config::Config config;
    app::Secrets secrets;
};

base::Result<Loaded> loadWithSecrets(const Options& o) {
    auto cfg = loadConfig(o);
    if (!cfg) {
        return base::fail(cfg.error());
    }
    auto secrets = app::resolveSecrets(*cfg, dataDirOf(o));
    if (!secrets) {
        return base::fail(secrets.error());
    }
    return Loaded{std::move(*cfg), std::move(*secrets)};
}

int signUrl(const Options& o) {
    auto loaded = loadWithSecrets(o);
    if (!loaded) {
        return fail(loaded.error().message());
    }
    const auto& cfg = loaded->config;
    if (o.expires <= 0) {
        return fail("--expires must be a positive number of seconds, got " +
                    std::to_string(o.expires));
    }
    server::auth::SigningKeys keys{loaded->secrets.authKey, cfg.auth.secondaryKey, cfg.auth.window};
    auto signed_ = server::auth::signUrl(o.url, server::unixNow() + o.expires, keys);
    if (!signed_) {
        return fail(signed_.error().message());
    }
    std::printf("%s\n", signed_->c_str());
    return 0;
}

int apiToken(const Options& o) {
    auto loaded = loadWithSecrets(o);
    if (!loaded) {
        return fail(loaded.error().message());
    }
    std::printf("%s\n", loaded->secrets.apiToken.c_str());
    return 0;
}

void printUrls(const config::Config& cfg, const app::Secrets& secrets, const fs::path& dataDir,
               std::uint16_t rtmp, std::uint16_t http, std::uint16_t srt) {
    auto host = app::publicHost(cfg);
    auto rtmpBase = "rtmp://" + host + ":" + std::to_string(rtmp);
    auto httpBase = "http://" + host + ":" + std::to_string(http);
    server::auth::SigningKeys keys{secrets.authKey, cfg.auth.secondaryKey, cfg.auth.window};
    std::string push = rtmpBase + "/live/demo";
    if (cfg.auth.publish) {
        if (auto s = server::auth::signUrl(push, server::unixNow() + 24 * 3600, keys)) {
            push = *s;
        }
    }
    std::printf("Stagecast Studio %s: media server running\n", STAGECAST_VERSION);
    std::printf("  data folder    %s\n", dataDir.string().c_str());
    std::printf("  publish auth   %s; play auth %s\n", cfg.auth.publish ? "on" : "off",
                cfg.auth.play ? "on" : "off");
    std::printf("  push (RTMP)    %s\n", push.c_str());
    std::printf(
        "                 (valid 24 h; sign others with: stagecast sign-url %s/live/NAME)\n",
        rtmpBase.c_str());
    std::printf("  play (RTMP)    %s/live/demo\n", rtmpBase.c_str());
    std::printf("  play (FLV)     %s/live/demo.flv\n", httpBase.c_str());
    std::printf("  control API    http://127.0.0.1:%u/api/v1/summary "
                "(Authorization: Bearer $(stagecast api-token))\n",
                static_cast<unsigned>(http));
    std::printf("  metrics        http://127.0.0.1:%u/metrics\n", static_cast<unsigned>(http));
    std::printf("  push (SRT)     srt://%s:%u?streamid=#!::r=live/NAME,m=publish "
                "(sign with stagecast sign-url)\n",
                host.c_str(), static_cast<unsigned>(srt));
    std::printf("STAGECAST READY rtmp=%u http=%u srt=%u\n", static_cast<unsigned>(rtmp),
                static_cast<unsigned>(http), static_cast<unsigned>(srt));
    std::fflush(stdout);
}

/// The window's view of this studio: its own API and the program and preview streams.
app::GuiUrls guiUrls(const config::Config& cfg, const app::Secrets& secrets, std::uint16_t http) {
    const std::string base = "http://127.0.0.1:" + std::to_string(http);
    server::auth::SigningKeys keys{secrets.authKey, cfg.auth.secondaryKey, cfg.auth.window};
    const auto play = [&](const std::string& stream) {
        std::string url = base + "/" + stream + ".flv";
        if (cfg.auth.play) {
            if (auto s = server::auth::signUrl(url, server::unixNow() + 7 * 24 * 3600, keys)) {
                url = *s;
            }
        }
        return url;
    };
    return {base + "/api/v1", secrets.apiToken, play(cfg.director.programStream),
            play(cfg.director.previewStream)};
}

int run(const Options& o, bool& libobsLoaded) {
    auto cfg = loadConfig(o);
    if (!cfg) {
        return fail(cfg.error().message());
    }
    if (o.rtmpPort) {
        cfg->server.rtmpPort = *o.rtmpPort;
    }
    if (o.httpPort) {
        cfg->server.httpPort = *o.httpPort;
    }
    if (o.srtPort) {
        cfg->server.srtPort = *o.srtPort;
    }
    base::setLogThreshold(cfg->log.level);
    auto dataDir = dataDirOf(o);
    if (auto ok = app::ensureDataDir(dataDir); !ok) {
        return fail(ok.error().message());
    }
    auto secrets = app::resolveSecrets(*cfg, dataDir);
    if (!secrets) {
        return fail(secrets.error().message());
    }
    auto options = app::makeServerOptions(*cfg, *secrets);
    if (!options) {
        return fail(options.error().message());
    }
    if (!options->hls.folder.empty() && std::filesystem::path(options->hls.folder).is_relative()) {
        options->hls.folder = (dataDir / options->hls.folder).string();
    }
    if (std::filesystem::path(options->hls.keyFolder).is_relative()) {
        options->hls.keyFolder = (dataDir / options->hls.keyFolder).string();
    }
    if (std::filesystem::path(options->hls.dvrFolder).is_relative()) {
        options->hls.dvrFolder = (dataDir / options->hls.dvrFolder).string();
    }
    const bool gui = !o.headless;
    if (gui && !app::displayAvailable()) {
        return fail("no display (DISPLAY or WAYLAND_DISPLAY is not set): run the server with "
                    "--headless, or start stagecast in a desktop session");
    }

    // Block the signals before any thread starts so only the main thread's wait sees them.
    boost::asio::io_context signals;
    boost::asio::signal_set set(signals, SIGINT, SIGTERM);
    // Before the server, so it outlives it: its routes and hub listeners point into it.
    auto monitoring = app::Monitoring::open(*cfg, dataDir);
    if (!monitoring) {
        return fail(monitoring.error().message());
    }
    app::Snapshots snapshots(cfg->snapshot, dataDir);
    auto moderation = app::Moderation::open(*cfg, dataDir, (*monitoring)->writer());
    moderation->setEvidence([&snapshots](const std::string& stream) -> std::optional<std::string> {
        auto kept = snapshots.keep(stream);
        return kept ? std::optional(kept->string()) : std::nullopt;
    });
    (*monitoring)->addAlertListener([m = moderation.get()](const monitor::AlertEvent& e) {
        m->onAlert(e);
    });
    auto recorders = app::Recorders::open(*cfg, dataDir, **monitoring);
    if (!recorders) {
        return fail(recorders.error().message());
    }
    server::Server server(std::move(*options));
    (*monitoring)->attach(server);
    moderation->attach(server);
    (*recorders)->attach(server);
    app::Pulls pulls(cfg->pulls, server);
    pulls.mount(server.api());
    snapshots.mount(server.api());
    // With the window the director always runs (its monitors need it).
    app::DirectorWiring director(cfg->director, dataDir,
                                 gui || o.director || cfg->director.enabled);
    director.mount(server.api());
    director.setStandbyAlerts([&alerts = (*monitoring)->alerts()](const std::string& input,
                                                                  bool raise,
                                                                  const std::string& details) {
        if (raise) {
            alerts.raise(input, monitor::AlertKind::DirectorStandby, details);
        } else {
            alerts.clear(input, monitor::AlertKind::DirectorStandby);
        }
    });
    app::Transcodes transcodes(cfg->transcode, server, (*monitoring)->alerts());
    transcodes.mount();
    if (auto ok = server.start(); !ok) {
        return fail(ok.error().message());
    }
    (*monitoring)->start();
    (*recorders)->start();
    pulls.start();
    snapshots.start(server.hub());
    if (o.demo) {
        director.setDemoScene("rtmp://" + app::publicHost(*cfg) + ":" +
                              std::to_string(server.rtmpPort()) + "/live/NAME");
    }
    director.start(server.hub(), server.events());
    libobsLoaded = director.libobsLoaded();
    printUrls(*cfg, *secrets, dataDir, server.rtmpPort(), server.httpPort(), server.srtPort());
    int received = 0;
    set.async_wait([&](const boost::system::error_code& ec, int signal) {
        if (!ec) {
            received = signal;
            app::requestQuit(); // ends the window's loop, if there is one
        }
    });
    if (gui) {
        std::thread waiter([&] { signals.run(); });
        (void)app::runGui(guiUrls(*cfg, *secrets, server.httpPort()));
        signals.stop();
        waiter.join();
    } else {
        signals.run();
    }
    base::log(base::LogLevel::Info, "app",
              (received == 0
                   ? std::string("the window was closed")
                   : std::string("received ") + (received == SIGINT ? "SIGINT" : "SIGTERM")) +
                  ": closing every session");
    (*monitoring)->stopSampling();
    director.stop();
    pulls.stop();
    snapshots.stop();
    (*recorders)->stop();
    transcodes.stop();
    server.stop();
    moderation->stop();
    (*monitoring)->finish();
    base::log(base::LogLevel::Info, "app", "stopped");
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App cli{"Stagecast Studio: desktop broadcast and monitoring studio"};
    cli.set_version_flag("--version", std::string("stagecast ") + STAGECAST_VERSION);
    Options o;
    cli.add_flag("--headless", o.headless,
                 "Run without the window (a server; the director only with --director)");
    cli.add_option("--data-dir", o.dataDir,
                   "Data folder (default: the platform's app-data folder)");
    cli.add_flag("--director", o.director,
                 "Start the director (libobs) with the headless server; needs an X display");
    cli.add_flag("--demo", o.demo,
                 "With the director: build a demo scene of test sources (colour bars, clock, "
                 "lower third) when no scene collection is saved yet");
    cli.add_option("--config", o.configFile, "Configuration file (TOML)")->check(CLI::ExistingFile);
    cli.add_option("--rtmp-port", o.rtmpPort, "RTMP port (overrides the config)")
        ->check(CLI::Range(0, 65535));
    cli.add_option("--http-port", o.httpPort, "HTTP port for FLV, API and metrics")
        ->check(CLI::Range(0, 65535));
    cli.add_option("--srt-port", o.srtPort, "SRT port for SRT ingest (overrides the config)")
        ->check(CLI::Range(0, 65535));

    auto* sign = cli.add_subcommand("sign-url", "Print URL with a valid auth_key appended");
    sign->add_option("--data-dir", o.dataDir, "Data folder holding the signing key");
    sign->add_option("--config", o.configFile, "Configuration file (TOML)");
    sign->add_option("--expires", o.expires, "Seconds until the URL expires (default 3600)");
    sign->add_option("URL", o.url, "rtmp://, http(s):// (.flv, .m3u8) or srt:// URL")->required();

    auto* token = cli.add_subcommand("api-token", "Print the control API's bearer token");
    token->add_option("--data-dir", o.dataDir, "Data folder holding the token");
    token->add_option("--config", o.configFile, "Configuration file (TOML)");

    CLI11_PARSE(cli, argc, argv);
    if (*sign) {
        return signUrl(o);
    }
    if (*token) {
        return apiToken(o);
    }
    bool libobsLoaded = false;
    const int code = run(o, libobsLoaded);
    if (libobsLoaded) {
        // libobs' obs-ffmpeg module links the OpenSSL build of libsrt beside the GnuTLS build
        // the server uses; both register exit-time destructors for the same (interposed)
        // statics and the second one hangs. Everything is shut down by now: leave without
        // running static destructors.
        std::fflush(nullptr);
        std::_Exit(code);
    }
    return code;
}
