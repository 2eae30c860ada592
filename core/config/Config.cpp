#include "config/Config.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "base/Cidr.h"
#include "config/ConfigFields.h"
#include "config/DirectorSection.h"
#include "config/HlsOriginSection.h"
#include "config/ModerationSection.h"
#include "config/PullSection.h"
#include "config/RecordSection.h"
#include "config/SnapshotSection.h"
#include "config/TranscodeSection.h"

namespace stagecast::config {

namespace {

using namespace detail;

// A configuration file is a few kilobytes; anything this big is the wrong file.
constexpr std::uintmax_t kMaxFileBytes = 1024 * 1024;

constexpr std::array<std::string_view, 4> kLogLevels = {"debug", "info", "warning", "error"};
constexpr std::array<std::string_view, 2> kDuplicatePolicies = {"reject", "takeover"};
// In HlsMode order, from 1.
constexpr std::array<std::string_view, 3> kHlsModes = {"off", "on_demand", "always"};
constexpr std::array<std::string_view, 5> kWebhookEvents = {"on_publish", "on_unpublish", "on_play",
                                                            "on_stop", "on_relay"};

Status checkPassphrase(const std::string& value, const std::string& path) {
    if (!value.empty() && (value.size() < 10 || value.size() > 79)) {
        return fail(path + ": must be empty (no encryption) or 10..79 characters, got " +
                    std::to_string(value.size()));
    }
    return {};
}

Status checkKeyFolder(const std::string& value, const std::string& path) {
    if (value.empty()) {
        return fail(path + ": must name a folder for the HLS keys (relative: in the data folder)");
    }
    return {};
}

Status checkDvrFolder(const std::string& value, const std::string& path) {
    if (value.empty()) {
        return fail(path + ": must name a folder for the DVR segments (relative: in the data "
                           "folder)");
    }
    return {};
}

Status checkBind(const std::string& value, const std::string& path) {
    if (!base::IpAddress::parse(value)) {
        return fail(path + ": '" + value +
                    "' is not an IP address: use 0.0.0.0 (every IPv4 interface), :: (every "
                    "interface) or one interface's address");
    }
    return {};
}

Status checkPublicHost(const std::string& value, const std::string& path) {
    const bool clean = value.find_first_of("/?#@") == std::string::npos &&
                       std::none_of(value.begin(), value.end(),
                                    [](char c) { return static_cast<unsigned char>(c) <= 0x20; });
    if (!clean) {
        return fail(path + ": '" + value +
                    "' must be a bare host name or address (no scheme, path or spaces)");
    }
    return {};
}

Status checkCorsOrigin(const std::string& value, const std::string& path) {
    if (value == "*" || value.empty()) {
        return {};
    }
    std::string_view rest = value;
    if (rest.starts_with("http://")) {
        rest.remove_prefix(7);
    } else if (rest.starts_with("https://")) {
        rest.remove_prefix(8);
    } else {
        rest = {};
    }
    const bool hostOnly = !rest.empty() && rest.find('/') == std::string_view::npos &&
                          std::none_of(rest.begin(), rest.end(), [](char c) {
                              return static_cast<unsigned char>(c) <= 0x20;
                          });
    if (!hostOnly) {
        return fail(path + ": '" + value +
                    "' must be \"*\", \"\" (no CORS) or an origin like https://example.com");
    }
    return {};
}

Status checkWebhookUrl(const std::string& value, const std::string& path) {
    const bool clean = std::none_of(value.begin(), value.end(), [](char c) {
        return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f;
    });
    if (value.empty() || (clean && value.starts_with("http://") && value.size() > 7) ||
        (clean && value.starts_with("https://") && value.size() > 8)) {
        return {};
    }
    return fail(path + ": '" + value +
                "' must be empty (off) or an http[s]://HOST[:PORT]/PATH URL");
}

Status readWebhookEvents(const toml::node& node, const std::string& path,
                         std::vector<std::string>& events) {
    const auto* array = node.as_array();
    if (array == nullptr) {
        return wrongType(path, "an array of event names", node);
    }
    std::vector<std::string> out;
    for (std::size_t i = 0; i < array->size(); ++i) {
        const std::string itemPath = path + "[" + std::to_string(i) + "]";
        auto index = readChoice(*array->get(i), itemPath, kWebhookEvents);
        if (!index) {
            return fail(index.error());
        }
        std::string name(kWebhookEvents[*index]);
        if (std::find(out.begin(), out.end(), name) != out.end()) {
            return fail(itemPath + ": '" + name + "' is listed twice");
        }
        out.push_back(std::move(name));
    }
    events = std::move(out);
    return {};
}

Result<std::vector<std::string>> readCidrList(const toml::node& node, const std::string& path) {
    const auto* array = node.as_array();
    if (array == nullptr) {
        return wrongType(path, "an array of CIDR strings", node);
    }
    std::vector<std::string> out;
    for (std::size_t i = 0; i < array->size(); ++i) {
        const std::string itemPath = path + "[" + std::to_string(i) + "]";
        auto text = readString(*array->get(i), itemPath);
        if (!text) {
            return fail(text.error());
        }
        if (auto cidr = base::Cidr::parse(*text); !cidr) {
            return fail(cidr.error().withContext(itemPath));
        }
        out.push_back(std::move(*text));
    }
    return out;
}

Status readAcl(const toml::node& node, std::map<std::string, AclRules>& acl) {
    const auto* apps = node.as_table();
    if (apps == nullptr) {
        return wrongType("acl", "a table of [acl.APPNAME] tables", node);
    }
    for (const auto& [app, rulesNode] : *apps) {
        const std::string path = join("acl", app.str());
        if (app.str().empty()) {
            return fail("acl: an app name must not be empty (use \"*\" for every app)");
        }
        const auto* rules = rulesNode.as_table();
        if (rules == nullptr) {
            return wrongType(path, "a table with allow and deny", rulesNode);
        }
        AclRules parsed;
        const auto listField = [](std::string_view name, std::vector<std::string>& target) {
            return Field{name, [&target](const toml::node& n, const std::string& p) -> Status {
                             auto list = readCidrList(n, p);
                             if (!list) {
                                 return fail(list.error());
                             }
                             target = std::move(*list);
                             return {};
                         }};
        };
        if (auto ok = readFields(
                *rules, path, {listField("allow", parsed.allow), listField("deny", parsed.deny)});
            !ok) {
            return ok;
        }
        acl[std::string(app.str())] = std::move(parsed);
    }
    return {};
}

Status readRelays(const toml::node& node, std::vector<RelayConfig>& relays) {
    const auto* array = node.as_array();
    if (array == nullptr) {
        return wrongType("relay", "an array of [[relay]] tables", node);
    }
    for (std::size_t i = 0; i < array->size(); ++i) {
        const std::string path = "relay[" + std::to_string(i) + "]";
        const auto* table = array->get(i)->as_table();
        if (table == nullptr) {
            return wrongType(path, "a table with stream and url", *array->get(i));
        }
        RelayConfig relay;
        const auto textField = [](std::string_view name, std::string& target) {
            return Field{name, [&target](const toml::node& n, const std::string& p) -> Status {
                             auto text = readString(n, p);
                             if (!text) {
                                 return fail(text.error());
                             }
                             target = std::move(*text);
                             return {};
                         }};
        };
        if (auto ok = readFields(*table, path,
                                 {textField("stream", relay.stream), textField("url", relay.url),
                                  textField("ca_file", relay.caFile),
                                  boolField("tls_verify", relay.tlsVerify)});
            !ok) {
            return ok;
        }
        if (relay.stream.find('/') == std::string::npos) {
            return fail(path + ".stream: '" + relay.stream + "' must be APP/NAME");
        }
        if (!relay.url.starts_with("rtmp://") && !relay.url.starts_with("rtmps://") &&
            !relay.url.starts_with("srt://")) {
            return fail(path + ".url: '" + relay.url.substr(0, relay.url.find('?')) +
                        "' must be an rtmp://, rtmps:// or srt:// URL");
        }
        relays.push_back(std::move(relay));
    }
    return {};
}

Status readSections(const toml::table& root, Config& config) {
    constexpr std::int64_t kPortMin = 1;
    constexpr std::int64_t kPortMax = 65535;
    constexpr std::int64_t kOneGiB = 1024LL * 1024 * 1024;
    constexpr std::int64_t kOneTiB = kOneGiB * 1024;
    auto& s = config.server;
    auto& a = config.auth;
    auto& api = config.api;
    auto& h = config.hub;
    auto& l = config.limits;

    const auto section = [](std::vector<Field> fields) {
        return [fields = std::move(fields)](const toml::node& node,
                                            const std::string& path) -> Status {
            const auto* table = node.as_table();
            if (table == nullptr) {
                return wrongType(path, "a table", node);
            }
            return readFields(*table, path, fields);
        };
    };

    const std::vector<Field> sections = {
        {"server", section({
                       stringField("bind", s.bind, checkBind),
                       intField("rtmp_port", s.rtmpPort, kPortMin, kPortMax),
                       intField("http_port", s.httpPort, kPortMin, kPortMax),
                       intField("srt_port", s.srtPort, kPortMin, kPortMax),
                       intField("io_threads", s.ioThreads, 0, 64),
                       stringField("public_host", s.publicHost, checkPublicHost),
                   })},
        {"auth", section({
                     boolField("publish", a.publish),
                     boolField("play", a.play),
                     stringField("key", a.key, checkSecret),
                     stringField("secondary_key", a.secondaryKey, checkSecret),
                     intField("window_seconds", a.window, 0, 31536000),
                 })},
        {"srt", section({
                    stringField("passphrase", config.srt.passphrase, checkPassphrase),
                    intField("latency_ms", config.srt.latency, 20, 8000),
                })},
        {"hls",
         section({
             {"mode",
              [&config](const toml::node& node, const std::string& path) -> Status {
                  auto index = readChoice(node, path, kHlsModes);
                  if (!index) {
                      return fail(index.error());
                  }
                  config.hls.mode = static_cast<HlsMode>(*index + 1);
                  return {};
              }},
             intField("segment_ms", config.hls.segment, 500, 30000),
             intField("window_segments", config.hls.windowSegments, 3, 100),
             intField("idle_stop_seconds", config.hls.idleStop, 5, 86400),
             intField("session_timeout_seconds", config.hls.sessionTimeout, 5, 3600),
             intField("max_stream_bytes", config.hls.maxStreamBytes, 1048576, kOneGiB),
             intField("max_streams", config.hls.maxStreams, 1, 10000),
             boolField("low_latency", config.hls.lowLatency),
             intField("part_ms", config.hls.part, 100, 2000),
             stringField("folder", config.hls.folder),
             boolField("encrypt", config.hls.encrypt),
             intField("key_rotate_segments", config.hls.keyRotateSegments, 0, 1000000),
             stringField("key_folder", config.hls.keyFolder, checkKeyFolder),
             stringField("origin_url", config.hls.originUrl, detail::checkOriginUrl),
             boolField("origin_delete", config.hls.originDelete),
             stringField("origin_header", config.hls.originHeader, detail::checkOriginHeader),
             intField("origin_timeout_ms", config.hls.originTimeout, 100, 60000),
             stringField("origin_ca_file", config.hls.originCaFile, detail::checkCaFile),
             boolField("origin_tls_verify", config.hls.originTlsVerify),
             intField("dvr_window_seconds", config.hls.dvrWindow, 0, 604800),
             stringField("dvr_folder", config.hls.dvrFolder, checkDvrFolder),
             intField("dvr_max_bytes", config.hls.dvrMaxBytes, 1048576, kOneTiB),
         })},
        {"api", section({
                    boolField("allow_remote", api.allowRemote),
                    stringField("token", api.token, checkSecret),
                    stringField("cors_origin", api.corsOrigin, checkCorsOrigin),
                })},
        {"hub", section({
                    boolField("gop_cache", h.gopCache),
                    {"on_duplicate_publish",
                     [&h](const toml::node& node, const std::string& path) -> Status {
                         auto index = readChoice(node, path, kDuplicatePolicies);
                         if (!index) {
                             return fail(index.error());
                         }
                         h.onDuplicatePublish = static_cast<DuplicatePublish>(*index);
                         return {};
                     }},
                    intField("max_gop_cache_bytes", h.maxGopCacheBytes, 65536, kOneGiB),
                    intField("reader_skip_backlog_ms", h.readerSkipBacklog, 100, 600000),
                    intField("reader_max_backlog_bytes", h.readerMaxBacklogBytes, 65536, kOneGiB),
                    intField("reader_disconnect_after_ms", h.readerDisconnectAfter, 1000, 3600000),
                })},
        {"limits", section({
                       intField("max_message_bytes", l.maxMessageBytes, 1024, 67108864),
                       intField("max_chunk_streams", l.maxChunkStreams, 2, 1024),
                       intField("max_connections", l.maxConnections, 1, 1000000),
                       intField("max_connections_per_ip", l.maxConnectionsPerIp, 1, 1000000),
                       intField("handshake_timeout_ms", l.handshakeTimeout, 100, 600000),
                       intField("idle_timeout_ms", l.idleTimeout, 1000, 86400000),
                       intField("http_max_header_bytes", l.httpMaxHeaderBytes, 1024, 1048576),
                   })},
        {"moderation", section(moderationFields(config.moderation))},
        {"record", section(recordFields(config.record))},
        {"snapshot", section(snapshotFields(config.snapshot))},
        {"director", section(directorFields(config.director))},
        {"monitor",
         section({
             intField("stall_ms", config.monitor.stall, 100, 600000),
             intField("stream_down_seconds", config.monitor.streamDown, 1, 86400),
             intField("bitrate_low_percent", config.monitor.bitrateLowPercent, 1, 99),
             intField("bitrate_window_seconds", config.monitor.bitrateWindow, 10, 3600),
             intField("bitrate_low_seconds", config.monitor.bitrateLow, 1, 3600),
             intField("fps_low_percent", config.monitor.fpsLowPercent, 1, 99),
             intField("fps_low_seconds", config.monitor.fpsLow, 1, 3600),
             intField("keyframe_missing_seconds", config.monitor.keyframeMissing, 1, 3600),
             intField("silence_seconds", config.monitor.silence, 1, 3600),
             intField("black_seconds", config.monitor.black, 1, 3600),
             intField("frozen_seconds", config.monitor.frozen, 1, 3600),
             intField("loudness_max_lufs", config.monitor.loudnessMaxLufs, -70, 0),
             intField("loudness_seconds", config.monitor.loudness, 1, 3600),
             intField("samples_keep_days", config.monitor.samplesKeepDays, 1, 3650),
             intField("minutes_keep_days", config.monitor.minutesKeepDays, 0, 36500),
             boolField("content_probes", config.monitor.contentProbes),
             intField("max_probes", config.monitor.maxProbes, 1, 256),
         })},
        {"log", section(
                    {
                        {"level",
                         [&config](const toml::node& node, const std::string& path) -> Status {
                             auto index = readChoice(node, path, kLogLevels);
                             if (!index) {
                                 return fail(index.error());
                             }
                             // kLogLevels is in LogLevel order, which starts at 1.
                             config.log.level = static_cast<base::LogLevel>(*index + 1);
                             return {};
                         }},
                    })},
        {"webhooks",
         section({
             stringField("url", config.webhooks.url, checkWebhookUrl),
             {"events",
              [&config](
                  const toml::node& node,
                  const std::string&
                      path) { return readWebhookEvents(node, path, config.webhooks.events); }},
             stringField("on_publish", config.webhooks.onPublish, checkWebhookUrl),
             stringField("on_unpublish", config.webhooks.onUnpublish, checkWebhookUrl),
             stringField("on_play", config.webhooks.onPlay, checkWebhookUrl),
             stringField("on_stop", config.webhooks.onStop, checkWebhookUrl),
             stringField("on_relay", config.webhooks.onRelay, checkWebhookUrl),
             stringField("secret", config.webhooks.secret, checkSecret),
             intField("timeout_ms", config.webhooks.timeout, 100, 60000),
             intField("retries", config.webhooks.retries, 0, 20),
             intField("retry_delay_ms", config.webhooks.retryDelay, 100, 600000),
             intField("on_publish_timeout_ms", config.webhooks.onPublishTimeout, 100, 60000),
             boolField("fail_open", config.webhooks.failOpen),
             intField("queue_size", config.webhooks.queueSize, 1, 100000),
             stringField("ca_file", config.webhooks.caFile),
             boolField("tls_verify", config.webhooks.tlsVerify),
         })},
        {"acl", [&config](const toml::node& node,
                          const std::string&) { return readAcl(node, config.acl); }},
        {"pull", [&config](const toml::node& node,
                           const std::string&) { return readPulls(node, config.pulls); }},
        {"relay", [&config](const toml::node& node,
                            const std::string&) { return readRelays(node, config.relays); }},
        {"transcode",
         [&config](
             const toml::node& node,
             const std::string& path) { return readTranscode(node, path, config.transcode); }},
    };
    return readFields(root, "", sections);
}

// Rules that involve more than one key, checked once every key has been read.
Status checkCombinations(const Config& config) {
    const auto& s = config.server;
    const std::array<std::pair<std::string_view, std::uint16_t>, 3> ports = {
        {{"server.rtmp_port", s.rtmpPort},
         {"server.http_port", s.httpPort},
         {"server.srt_port", s.srtPort}}};
    for (std::size_t i = 0; i < ports.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
            if (ports[i].second == ports[j].second) {
                return fail(std::string(ports[i].first) + ": " + std::to_string(ports[i].second) +
                            " is also " + std::string(ports[j].first) +
                            "; the ports must be distinct");
            }
        }
    }
    const auto& h = config.hub;
    if (h.readerDisconnectAfter < h.readerSkipBacklog) {
        return fail(
            "hub.reader_disconnect_after_ms: " + std::to_string(h.readerDisconnectAfter.count()) +
            " must be at least hub.reader_skip_backlog_ms (" +
            std::to_string(h.readerSkipBacklog.count()) + ")");
    }
    const auto& m = config.monitor;
    if (m.minutesKeepDays != 0 && m.minutesKeepDays <= m.samplesKeepDays) {
        return fail("monitor.minutes_keep_days: " + std::to_string(m.minutesKeepDays) +
                    " must be 0 (keep forever) or more than monitor.samples_keep_days (" +
                    std::to_string(m.samplesKeepDays) + ")");
    }
    // Keys inside the folder a CDN publishes would be published with the segments.
    const auto keys = std::filesystem::path(config.hls.keyFolder).lexically_normal();
    const auto out = std::filesystem::path(config.hls.folder).lexically_normal();
    if (!config.hls.folder.empty() && keys.is_absolute() == out.is_absolute() &&
        !keys.lexically_relative(out).empty() && *keys.lexically_relative(out).begin() != "..") {
        return fail("hls.key_folder: '" + config.hls.keyFolder + "' is inside hls.folder ('" +
                    config.hls.folder + "'), which is published: keep the keys elsewhere");
    }
    if (config.hls.dvrWindow.count() > 0 && config.hls.dvrWindow.count() < 10) {
        return fail("hls.dvr_window_seconds: " + std::to_string(config.hls.dvrWindow.count()) +
                    " must be 0 (off) or 10..604800");
    }
    // The DVR folder's windows are deleted at start: never a folder that holds other files.
    const auto dvr = std::filesystem::path(config.hls.dvrFolder).lexically_normal();
    if (config.hls.dvrWindow.count() > 0 &&
        (dvr == keys || (!config.hls.folder.empty() && dvr == out))) {
        return fail("hls.dvr_folder: '" + config.hls.dvrFolder +
                    "' is also hls.folder or hls.key_folder: give DVR a folder of its own");
    }
    const auto& d = config.director;
    if (d.previewOutput) {
        if (d.previewStream == d.programStream) {
            return fail("director.preview_stream: '" + d.previewStream +
                        "' is also director.program_stream; give the preview a stream of its own");
        }
        if (d.fps % d.previewFps != 0) {
            return fail("director.preview_fps: " + std::to_string(d.previewFps) +
                        " must divide director.fps (" + std::to_string(d.fps) +
                        "): the preview takes every n-th canvas frame");
        }
        if (d.previewWidth % 2 != 0 || d.previewHeight % 2 != 0) {
            return fail("director.preview_width/preview_height: " + std::to_string(d.previewWidth) +
                        "x" + std::to_string(d.previewHeight) + " must both be even (4:2:0 video)");
        }
    }
    const auto& l = config.limits;
    if (l.maxConnectionsPerIp > l.maxConnections) {
        return fail("limits.max_connections_per_ip: " + std::to_string(l.maxConnectionsPerIp) +
                    " exceeds limits.max_connections (" + std::to_string(l.maxConnections) + ")");
    }
    return {};
}

} // namespace

Result<Config> parseConfig(std::string_view tomlText, std::string_view sourceName) {
    const std::string source(sourceName);
    toml::table root;
    try {
        root = toml::parse(tomlText, sourceName);
    } catch (const toml::parse_error& error) {
        const auto& where = error.source().begin;
        return fail(source + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) +
                    ": " + std::string(error.description()));
    }
    Config config;
    if (auto ok = readSections(root, config); !ok) {
        return fail(ok.error().withContext(source));
    }
    if (auto ok = checkCombinations(config); !ok) {
        return fail(ok.error().withContext(source));
    }
    return config;
}

Result<Config> loadConfigFile(const std::filesystem::path& path) {
    const std::string name = path.string();
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (!std::filesystem::exists(status)) {
        return fail(name + ": file not found");
    }
    if (!std::filesystem::is_regular_file(status)) {
        return fail(name + ": not a regular file");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return fail(name + ": cannot open: " + std::strerror(errno));
    }
    std::string text;
    text.resize(kMaxFileBytes + 1);
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad()) {
        return fail(name + ": cannot read: " + std::strerror(errno));
    }
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxFileBytes) {
        return fail(name + ": file is larger than " + std::to_string(kMaxFileBytes) +
                    " bytes; is it really a configuration file?");
    }
    return parseConfig(text, name);
}

std::string_view logLevelName(base::LogLevel level) {
    const auto index = static_cast<std::size_t>(level) - 1;
    return index < kLogLevels.size() ? kLogLevels[index] : "info";
}

std::string_view duplicatePublishName(DuplicatePublish policy) {
    return kDuplicatePolicies[static_cast<std::size_t>(policy)];
}

} // namespace stagecast::config
