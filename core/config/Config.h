#pragma once
/// Stagecast's configuration file (TOML v1.0). Every value has a default, so an empty file
/// is a valid configuration. Unknown keys and wrong types are errors naming the key: a typo
/// must never silently fall back to a default. Keys carry their unit as a suffix (_ms,
/// _seconds, _bytes); the struct holds std::chrono durations and byte counts.
/// docs/configuration.md describes every key.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/Log.h"
#include "base/Result.h"
#include "config/DirectorConfig.h"

namespace stagecast::config {

struct ServerConfig {
    std::string bind = "0.0.0.0"; // an IP address; "::" for dual stack
    std::uint16_t rtmpPort = 1935;
    std::uint16_t httpPort = 8080;
    std::uint16_t srtPort = 10080;
    unsigned ioThreads = 0; // 0 = one per core
    std::string publicHost; // host printed in URLs; empty = detect

    bool operator==(const ServerConfig&) const = default;
};

struct AuthConfig {
    bool publish = true;      // publishing needs a signed URL
    bool play = false;        // playing needs a signed URL
    std::string key;          // empty = generated once into the data folder
    std::string secondaryKey; // also accepted, for key rotation
    std::chrono::seconds window{0};

    bool operator==(const AuthConfig&) const = default;
};

struct ApiConfig {
    bool allowRemote = false;
    std::string token; // empty = generated once into the data folder
    std::string corsOrigin = "*";

    bool operator==(const ApiConfig&) const = default;
};

enum class DuplicatePublish { Reject, Takeover };

struct HubConfig {
    bool gopCache = true;
    DuplicatePublish onDuplicatePublish = DuplicatePublish::Reject;
    std::size_t maxGopCacheBytes = 32 * 1024 * 1024;
    std::chrono::milliseconds readerSkipBacklog{3000};
    std::size_t readerMaxBacklogBytes = 16 * 1024 * 1024;
    std::chrono::milliseconds readerDisconnectAfter{10000};

    bool operator==(const HubConfig&) const = default;
};

struct LimitsConfig {
    std::size_t maxMessageBytes = 16 * 1024 * 1024;
    unsigned maxChunkStreams = 64;
    unsigned maxConnections = 4096;
    unsigned maxConnectionsPerIp = 256;
    std::chrono::milliseconds handshakeTimeout{10000};
    std::chrono::milliseconds idleTimeout{30000};
    std::size_t httpMaxHeaderBytes = 16384;

    bool operator==(const LimitsConfig&) const = default;
};

enum class HlsMode : std::uint8_t { Off = 1, OnDemand, Always };

/// [hls]: MPEG-TS HLS on the HTTP port.
struct HlsConfig {
    HlsMode mode = HlsMode::OnDemand;
    std::chrono::milliseconds segment{2000};
    std::size_t windowSegments = 6;
    std::chrono::seconds idleStop{30};
    std::chrono::seconds sessionTimeout{20};
    std::size_t maxStreamBytes = 64 * 1024 * 1024;
    std::size_t maxStreams = 64;
    bool lowLatency = true; // LL-HLS (fMP4 parts) at /APP/STREAM/ll.m3u8 too
    std::chrono::milliseconds part{334};
    std::string folder; // write MPEG-TS HLS here too (relative: in the data folder); "" = off

    bool encrypt = false;               // AES-128 for MPEG-TS HLS (LL-HLS not served then)
    std::size_t keyRotateSegments = 10; // a new key every N segments; 0 = one per publish
    std::string keyFolder = "hls-keys"; // relative: in the data folder

    // HTTP origin output (HlsOriginSection.cpp checks these).
    std::string originUrl;    // PUT segments and playlists under it; "" = off
    bool originDelete = true; // DELETE segments that left the window
    std::string originHeader; // "Name: value" sent with each request; "" = none
    std::chrono::milliseconds originTimeout{5000};
    std::string originCaFile;          // https: trust this PEM file instead of the system's CAs
    bool originTlsVerify = true;       // https: check the origin's certificate and host name
    std::chrono::seconds dvrWindow{0}; // time-shift window on disk; 0 = off
    std::string dvrFolder = "hls-dvr"; // relative: in the data folder
    std::size_t dvrMaxBytes = std::size_t{2} << 30; // disk for one stream's window

    bool operator==(const HlsConfig&) const = default;
};

struct SrtConfig {
    std::string passphrase; // empty = no encryption; else 10..79 characters
    std::chrono::milliseconds latency{120};

    bool operator==(const SrtConfig&) const = default;
};

struct LogConfig {
    base::LogLevel level = base::LogLevel::Info;

    bool operator==(const LogConfig&) const = default;
};

/// [webhooks]: HTTP callbacks (docs/webhooks.md). Empty URLs = off.
struct WebhooksConfig {
    std::string url; // every event in `events` without a URL of its own
    std::vector<std::string> events = {"on_publish", "on_unpublish", "on_play", "on_stop",
                                       "on_relay"};
    std::string onPublish; // asked before each publish; its answer allows or refuses
    std::string onUnpublish;
    std::string onPlay;
    std::string onStop;
    std::string onRelay;
    std::string secret; // empty = generated once into the data folder
    std::chrono::milliseconds timeout{5000};
    unsigned retries = 4;
    std::chrono::milliseconds retryDelay{1000};
    std::chrono::milliseconds onPublishTimeout{3000};
    bool failOpen = false;
    std::size_t queueSize = 1000;
    std::string caFile;    // https receivers: trusted certificates (PEM); empty = system CAs
    bool tlsVerify = true; // https receivers: check the chain and the host name

    bool enabled() const {
        return !url.empty() || !onPublish.empty() || !onUnpublish.empty() || !onPlay.empty() ||
               !onStop.empty() || !onRelay.empty();
    }
    bool operator==(const WebhooksConfig&) const = default;
};

/// [monitor]: stream health sampling, alert thresholds and health-data retention.
/// docs/monitoring.md says why each default.
struct MonitorConfig {
    std::chrono::milliseconds stall{2000}; // no media packet this long: the stream is stalled
    std::chrono::seconds streamDown{5};
    unsigned bitrateLowPercent = 50;
    std::chrono::seconds bitrateWindow{60};
    std::chrono::seconds bitrateLow{5};
    unsigned fpsLowPercent = 80;
    std::chrono::seconds fpsLow{5};
    std::chrono::seconds keyframeMissing{10};
    std::chrono::seconds silence{10};
    std::chrono::seconds black{10};
    std::chrono::seconds frozen{10};
    int loudnessMaxLufs = -10;
    std::chrono::seconds loudness{5};
    unsigned samplesKeepDays = 7;
    unsigned minutesKeepDays = 365; // 0 = keep forever
    /// Content probes (core/media): decode each live stream at about 1 picture/s for the
    /// silence, black, frozen and loudness alerts, at most `maxProbes` streams at once.
    bool contentProbes = true;
    unsigned maxProbes = 8;

    bool operator==(const MonitorConfig&) const = default;
};

/// What a moderation rule does with a matching message ("off": the rule is not applied).
enum class RuleAction : std::uint8_t { Off = 1, Label, Hold, Reject };

/// [moderation]: viewer chat and Q&A, text rules and detector items (docs/moderation.md).
struct ModerationConfig {
    bool preModeration = false; // every clean message waits for a moderator
    bool allowAnonymous = true;
    /// In the data folder unless absolute; a missing file means no file lists.
    std::string wordListFile = "moderation-words.txt";
    std::vector<std::string> wordsHold;   // held for review
    std::vector<std::string> wordsReject; // refused at once
    RuleAction personalData = RuleAction::Hold;
    RuleAction links = RuleAction::Hold;
    unsigned rateMessages = 5;           // a viewer may post this many at once...
    std::chrono::seconds rateWindow{30}; // ...and regains them evenly over this time
    std::chrono::seconds repeatWindow{60};
    unsigned maxMessageChars = 500;
    /// Content alerts (black, frozen, silence, loudness) and refused publishes become items
    /// in the moderation queue.
    bool detectorItems = true;

    bool operator==(const ModerationConfig&) const = default;
};

/// [record]: recordings of hub streams (docs/recording.md).
struct RecordConfig {
    std::string folder = "recordings"; // relative: in the data folder
    std::string format = "mp4";        // "mp4" (fragmented, then finalised), "ts" or "flv"
    std::string fileTemplate = "{app}_{stream}_{time}";
    /// Streams recorded whenever they are live: "APP/STREAM" where either part may be "*".
    std::vector<std::string> streams;
    std::chrono::seconds maxDuration{0}; // split at the next keyframe; 0 = no limit
    std::uint64_t maxBytes = 0;          // split at the next keyframe; 0 = no limit
    std::chrono::seconds resumeWindow{10};
    std::chrono::milliseconds fragment{1000};
    /// Disk guard: below this much free space in the folder, recordings stop cleanly.
    std::uint64_t minFreeBytes = 1024ULL * 1024 * 1024;
    unsigned maxRecorders = 16;

    bool operator==(const RecordConfig&) const = default;
};

/// [snapshot]: a JPEG thumbnail of each live stream every interval (docs/snapshots.md).
struct SnapshotConfig {
    bool enabled = true;
    std::chrono::seconds interval{5};
    unsigned width = 320; // even; the height follows the aspect ratio
    /// FOLDER/APP/STREAM/latest.jpg; in the data folder unless absolute.
    std::string folder = "snapshots";
    unsigned maxStreams = 16; // streams snapshotted at once (one thread each)
    /// Evidence copies older than this are deleted (at start and whenever one is kept); 0
    /// keeps them for ever.
    std::chrono::hours evidenceKeep{24 * 90};

    bool operator==(const SnapshotConfig&) const = default;
};

/// One [[pull]] table: an external stream (RTMP, HTTP-FLV, HLS, SRT) published into the hub
/// as `stream`, reconnected when it drops.
struct PullConfig {
    std::string stream;
    std::string url;

    bool operator==(const PullConfig&) const = default;
};

/// One [[transcode.rule]]: streams whose APP/STREAM matches `pattern` ('*' within a part)
/// are transcoded into `renditions` (template names) while they are published.
struct TranscodeRuleConfig {
    std::string pattern;
    std::vector<std::string> renditions;
    std::string mode = "fixed"; // or "narrowband" (capped CRF)

    bool operator==(const TranscodeRuleConfig&) const = default;
};

/// [transcode]: the ABR ladder transcoder (docs/transcoding.md).
struct TranscodeConfig {
    std::string preset = "veryfast";       // x264 preset of every rendition
    unsigned threads = 1;                  // x264 threads per rendition
    unsigned maxTranscodes = 2;            // sources transcoded at once
    std::chrono::milliseconds queue{1000}; // pictures a rendition may have waiting
    std::vector<TranscodeRuleConfig> rules;

    bool operator==(const TranscodeConfig&) const = default;
};

/// One [acl.APPNAME] table. Entries are CIDR strings already validated by base::Cidr.
struct AclRules {
    std::vector<std::string> allow;
    std::vector<std::string> deny;

    bool operator==(const AclRules&) const = default;
};

/// One [[relay]] entry: push hub stream `stream` (APP/NAME) to `url`
/// (rtmp:// or rtmps://HOST[:PORT]/APP/NAME[?query]).
struct RelayConfig {
    std::string stream;
    std::string url;
    /// rtmps: PEM file of the CA (or the self-signed certificate) to trust instead of the
    /// system's CA store.
    std::string caFile;
    /// rtmps: check the certificate chain and host name (turn off only for a lab origin).
    bool tlsVerify = true;

    bool operator==(const RelayConfig&) const = default;
};

struct Config {
    ServerConfig server;
    AuthConfig auth;
    ApiConfig api;
    HubConfig hub;
    LimitsConfig limits;
    SrtConfig srt;
    HlsConfig hls;
    LogConfig log;
    WebhooksConfig webhooks;
    MonitorConfig monitor;
    ModerationConfig moderation;
    RecordConfig record;
    SnapshotConfig snapshot;
    DirectorConfig director;
    /// Keyed by app name; "*" applies to every app.
    std::map<std::string, AclRules> acl;
    /// [[relay]] entries, in file order.
    std::vector<RelayConfig> relays;
    /// [[pull]] entries, in file order.
    std::vector<PullConfig> pulls;
    TranscodeConfig transcode;

    bool operator==(const Config&) const = default;
};

/// Parses a whole file. `sourceName` prefixes every error:
/// "config.toml: server.rtmp_port: 70000 is out of range 1..65535",
/// "config.toml:3:5: <toml parse error>", "config.toml: unknown key server.rtmpport".
base::Result<Config> parseConfig(std::string_view tomlText, std::string_view sourceName);

/// Reads and parses `path`; a missing or unreadable file is an error (callers that want
/// defaults when there is no file check for it first).
base::Result<Config> loadConfigFile(const std::filesystem::path& path);

/// A commented file with every key set to its default; resources/stagecast.example.toml is
/// this text.
std::string defaultConfigToml();

/// "debug", "info", "warning" or "error".
std::string_view logLevelName(base::LogLevel level);
/// "reject" or "takeover".
std::string_view duplicatePublishName(DuplicatePublish policy);

} // namespace stagecast::config
