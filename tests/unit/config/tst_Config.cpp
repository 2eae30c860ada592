// Tests for the configuration loader: defaults, every key wired to its field, every
// validation error, unknown keys, type errors, TOML syntax errors, the [acl.*] tables, file
// loading, and that the example file and the docs match the defaults.

#include <QtTest>

#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <string>

#include "config/Config.h"

using namespace stagecast::config;
using namespace std::chrono_literals;

namespace {

const QString kSourceDir = QStringLiteral(STAGECAST_SOURCE_DIR);

QString readText(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    return QString::fromUtf8(file.readAll());
}

QString errorOf(const stagecast::base::Result<Config>& result) {
    return result ? QString() : QString::fromStdString(result.error().message());
}

} // namespace

class tst_Config : public QObject {
    Q_OBJECT

private slots:
    void emptyFileGivesDefaults();
    void defaultValues();
    void everyKeyIsRead();
    void errors_data();
    void errors();
    void syntaxErrors_data();
    void syntaxErrors();
    void aclTables();
    void relayTables();
    void pullTables();
    void defaultTomlParsesToDefaults();
    void exampleFileMatchesDefaults();
    void docsListEveryKey();
    void loadFile();
    void loadMissingFile();
    void loadDirectory();
    void names();
};

void tst_Config::emptyFileGivesDefaults() {
    const auto empty = parseConfig("", "config.toml");
    QVERIFY(empty.has_value());
    QVERIFY(*empty == Config{});
    const auto emptySections =
        parseConfig("[server]\n[auth]\n[api]\n[hub]\n[limits]\n[log]\n[acl]\n", "config.toml");
    QVERIFY2(emptySections.has_value(), qPrintable(errorOf(emptySections)));
    QVERIFY(*emptySections == Config{});
}

void tst_Config::defaultValues() {
    // The documented defaults, spelled out so a changed default in Config.h is noticed.
    const Config c;
    QCOMPARE(c.server.bind, std::string("0.0.0.0"));
    QCOMPARE(c.server.rtmpPort, std::uint16_t(1935));
    QCOMPARE(c.server.httpPort, std::uint16_t(8080));
    QCOMPARE(c.server.srtPort, std::uint16_t(10080));
    QCOMPARE(c.server.ioThreads, 0u);
    QCOMPARE(c.server.publicHost, std::string());
    QCOMPARE(c.auth.publish, true);
    QCOMPARE(c.auth.play, false);
    QCOMPARE(c.auth.key, std::string());
    QCOMPARE(c.auth.secondaryKey, std::string());
    QVERIFY(c.auth.window == 0s);
    QCOMPARE(c.api.allowRemote, false);
    QCOMPARE(c.api.token, std::string());
    QCOMPARE(c.api.corsOrigin, std::string("*"));
    QCOMPARE(c.hub.gopCache, true);
    QVERIFY(c.hub.onDuplicatePublish == DuplicatePublish::Reject);
    QCOMPARE(c.hub.maxGopCacheBytes, std::size_t(33554432));
    QVERIFY(c.hub.readerSkipBacklog == 3000ms);
    QCOMPARE(c.hub.readerMaxBacklogBytes, std::size_t(16777216));
    QVERIFY(c.hub.readerDisconnectAfter == 10000ms);
    QCOMPARE(c.limits.maxMessageBytes, std::size_t(16777216));
    QCOMPARE(c.limits.maxChunkStreams, 64u);
    QCOMPARE(c.limits.maxConnections, 4096u);
    QCOMPARE(c.limits.maxConnectionsPerIp, 256u);
    QVERIFY(c.limits.handshakeTimeout == 10000ms);
    QVERIFY(c.limits.idleTimeout == 30000ms);
    QCOMPARE(c.limits.httpMaxHeaderBytes, std::size_t(16384));
    QVERIFY(c.log.level == stagecast::base::LogLevel::Info);
    QVERIFY(c.acl.empty());
    QCOMPARE(c.webhooks.url, std::string());
    QCOMPARE(c.webhooks.events, (std::vector<std::string>{"on_publish", "on_unpublish", "on_play",
                                                          "on_stop", "on_relay"}));
    QCOMPARE(c.webhooks.onPublish, std::string());
    QCOMPARE(c.webhooks.secret, std::string());
    QVERIFY(c.webhooks.timeout == 5000ms);
    QCOMPARE(c.webhooks.retries, 4u);
    QVERIFY(c.webhooks.retryDelay == 1000ms);
    QVERIFY(c.webhooks.onPublishTimeout == 3000ms);
    QCOMPARE(c.webhooks.failOpen, false);
    QCOMPARE(c.webhooks.queueSize, std::size_t(1000));
    QVERIFY(!c.webhooks.enabled());
}

void tst_Config::everyKeyIsRead() {
    // Every key set to a value different from its default: a key parsed but not stored,
    // or stored in the wrong field, makes the comparison fail.
    const auto parsed = parseConfig(R"toml(
[server]
bind = "::"
rtmp_port = 1936
http_port = 8081
srt_port = 10081
io_threads = 4
public_host = "studio.example"

[auth]
publish = false
play = true
key = "k-primary"
secondary_key = "k-secondary"
window_seconds = 600

[api]
allow_remote = true
token = "tok123"
cors_origin = "https://example.com:8443"

[hub]
gop_cache = false
on_duplicate_publish = "takeover"
max_gop_cache_bytes = 1048576
reader_skip_backlog_ms = 1500
reader_max_backlog_bytes = 2097152
reader_disconnect_after_ms = 20000

[limits]
max_message_bytes = 1024
max_chunk_streams = 1024
max_connections = 100
max_connections_per_ip = 100
handshake_timeout_ms = 100
idle_timeout_ms = 86400000
http_max_header_bytes = 1048576

[hls]
mode = "always"
segment_ms = 1000
window_segments = 10
idle_stop_seconds = 60
session_timeout_seconds = 30
max_stream_bytes = 1048576
max_streams = 8
low_latency = false
part_ms = 500
folder = "/srv/hls"
encrypt = true
key_rotate_segments = 0
key_folder = "/srv/keys"
origin_url = "https://origin.example/ingest"
origin_delete = false
origin_header = "Authorization: Bearer X"
origin_timeout_ms = 2000
origin_ca_file = "/etc/passwd"
origin_tls_verify = false
dvr_window_seconds = 3600
dvr_folder = "/srv/dvr"
dvr_max_bytes = 1048576

[log]
level = "debug"

[webhooks]
url = "http://hooks.example:8085/all"
events = ["on_stop", "on_publish"]
on_publish = "http://127.0.0.1:9000/publish?token=t"
on_unpublish = "http://h/unpublish"
on_play = "http://h/play"
on_stop = "http://h/stop"
on_relay = "http://[::1]:81/relay"
secret = "s3cret-value"
timeout_ms = 100
retries = 20
retry_delay_ms = 600000
on_publish_timeout_ms = 60000
fail_open = true
queue_size = 1
ca_file = "/etc/stagecast/hooks-ca.pem"
tls_verify = false

[monitor]
stall_ms = 500
stream_down_seconds = 2
bitrate_low_percent = 40
bitrate_window_seconds = 120
bitrate_low_seconds = 7
fps_low_percent = 70
fps_low_seconds = 8
keyframe_missing_seconds = 12
silence_seconds = 15
black_seconds = 16
frozen_seconds = 17
loudness_max_lufs = -8
loudness_seconds = 3
samples_keep_days = 14
minutes_keep_days = 0
content_probes = false
max_probes = 3

[moderation]
pre_moderation = true
allow_anonymous = false
word_list_file = "/etc/stagecast/words.txt"
words_hold = ["坏话", "buy followers"]
words_reject = ["spam"]
personal_data = "reject"
links = "off"
rate_messages = 3
rate_window_seconds = 10
repeat_window_seconds = 0
max_message_chars = 280
detector_items = false

[record]
folder = "/srv/rec"
format = "ts"
file_template = "{stream}-{seq}"
streams = ["live/*", "*/main"]
max_duration_seconds = 3600
max_bytes = 1000000
resume_window_seconds = 0
fragment_ms = 500
min_free_bytes = 0
max_recorders = 4

[snapshot]
enabled = false
interval_seconds = 2
width = 640
folder = "/var/stagecast/thumbs"
max_streams = 4
)toml",
                                    "config.toml");
    QVERIFY2(parsed.has_value(), qPrintable(errorOf(parsed)));

    Config expected;
    expected.moderation = {true,
                           false,
                           "/etc/stagecast/words.txt",
                           {"坏话", "buy followers"},
                           {"spam"},
                           RuleAction::Reject,
                           RuleAction::Off,
                           3,
                           10s,
                           0s,
                           280,
                           false};
    expected.monitor = {500ms, 2s,  40, 120s, 7s, 70, 8s,    12s, 15s,
                        16s,   17s, -8, 3s,   14, 0,  false, 3};
    expected.server = {"::", 1936, 8081, 10081, 4, "studio.example"};
    expected.auth = {false, true, "k-primary", "k-secondary", 600s};
    expected.api = {true, "tok123", "https://example.com:8443"};
    expected.hub = {false, DuplicatePublish::Takeover, 1048576, 1500ms, 2097152, 20000ms};
    expected.limits = {1024, 1024, 100, 100, 100ms, 86400000ms, 1048576};
    expected.log.level = stagecast::base::LogLevel::Debug;
    expected.hls = {HlsMode::Always,
                    1000ms,
                    10,
                    60s,
                    30s,
                    1048576,
                    8,
                    false,
                    500ms,
                    "/srv/hls",
                    true,
                    0,
                    "/srv/keys",
                    "https://origin.example/ingest",
                    false,
                    "Authorization: Bearer X",
                    2000ms,
                    "/etc/passwd",
                    false,
                    3600s,
                    "/srv/dvr",
                    1048576};
    expected.webhooks = {"http://hooks.example:8085/all",
                         {"on_stop", "on_publish"},
                         "http://127.0.0.1:9000/publish?token=t",
                         "http://h/unpublish",
                         "http://h/play",
                         "http://h/stop",
                         "http://[::1]:81/relay",
                         "s3cret-value",
                         100ms,
                         20,
                         600000ms,
                         60000ms,
                         true,
                         1,
                         "/etc/stagecast/hooks-ca.pem",
                         false};
    QVERIFY(parsed->server == expected.server);
    QVERIFY(parsed->auth == expected.auth);
    QVERIFY(parsed->api == expected.api);
    QVERIFY(parsed->hub == expected.hub);
    QVERIFY(parsed->limits == expected.limits);
    QVERIFY(parsed->hls == expected.hls);
    QVERIFY(parsed->log == expected.log);
    QVERIFY(parsed->webhooks == expected.webhooks);
    QVERIFY(parsed->monitor == expected.monitor);
    QVERIFY(parsed->moderation == expected.moderation);
    expected.record = {
        "/srv/rec", "ts", "{stream}-{seq}", {"live/*", "*/main"}, 3600s, 1000000, 0s, 500ms, 0, 4};
    QVERIFY(parsed->record == expected.record);
    expected.snapshot = SnapshotConfig{false, 2s, 640, "/var/stagecast/thumbs", 4};
    QVERIFY(parsed->snapshot == expected.snapshot);
    QVERIFY(*parsed == expected);
}

void tst_Config::errors_data() {
    QTest::addColumn<QString>("toml");
    QTest::addColumn<QString>("error");

    const auto row = [](const char* name, const char* toml, const QString& error) {
        QTest::newRow(name) << QString::fromUtf8(toml) << "config.toml: " + error;
    };
    // [server]
    row("rtmp_port too high", "[server]\nrtmp_port = 70000",
        "server.rtmp_port: 70000 is out of range 1..65535");
    row("rtmp_port zero", "[server]\nrtmp_port = 0",
        "server.rtmp_port: 0 is out of range 1..65535");
    row("http_port negative", "[server]\nhttp_port = -1",
        "server.http_port: -1 is out of range 1..65535");
    row("srt_port too high", "[server]\nsrt_port = 65536",
        "server.srt_port: 65536 is out of range 1..65535");
    row("io_threads too many", "[server]\nio_threads = 65",
        "server.io_threads: 65 is out of range 0..64");
    row("http_port equals rtmp_port", "[server]\nhttp_port = 1935",
        "server.http_port: 1935 is also server.rtmp_port; the ports must be distinct");
    row("srt_port equals http_port", "[server]\nsrt_port = 8080",
        "server.srt_port: 8080 is also server.http_port; the ports must be distinct");
    row("bind host name", "[server]\nbind = \"localhost\"",
        "server.bind: 'localhost' is not an IP address: use 0.0.0.0 (every IPv4 interface), :: "
        "(every interface) or one interface's address");
    row("public_host with scheme", "[server]\npublic_host = \"http://studio\"",
        "server.public_host: 'http://studio' must be a bare host name or address (no scheme, path "
        "or spaces)");
    row("public_host with space", "[server]\npublic_host = \"my studio\"",
        "server.public_host: 'my studio' must be a bare host name or address (no scheme, path or "
        "spaces)");
    row("port as string", "[server]\nrtmp_port = \"1935\"",
        "server.rtmp_port: expected an integer, got a string");
    row("port as float", "[server]\nrtmp_port = 1935.0",
        "server.rtmp_port: expected an integer, got a floating-point number");
    row("bind as array", "[server]\nbind = [\"0.0.0.0\"]",
        "server.bind: expected a string, got an array");
    // [auth]
    row("publish as string", "[auth]\npublish = \"yes\"",
        "auth.publish: expected true or false, got a string");
    row("play as integer", "[auth]\nplay = 1", "auth.play: expected true or false, got an integer");
    row("window too long", "[auth]\nwindow_seconds = 31536001",
        "auth.window_seconds: 31536001 is out of range 0..31536000");
    row("window negative", "[auth]\nwindow_seconds = -1",
        "auth.window_seconds: -1 is out of range 0..31536000");
    row("key with space", "[auth]\nkey = \"abc def\"",
        "auth.key: must not contain spaces or control characters");
    row("secondary key with newline", "[auth]\nsecondary_key = \"abc\\n\"",
        "auth.secondary_key: must not contain spaces or control characters");
    // [api]
    row("token with tab", "[api]\ntoken = \"a\\tb\"",
        "api.token: must not contain spaces or control characters");
    row("cors origin without scheme", "[api]\ncors_origin = \"example.com\"",
        "api.cors_origin: 'example.com' must be \"*\", \"\" (no CORS) or an origin like "
        "https://example.com");
    row("cors origin with path", "[api]\ncors_origin = \"https://example.com/app\"",
        "api.cors_origin: 'https://example.com/app' must be \"*\", \"\" (no CORS) or an origin "
        "like https://example.com");
    row("allow_remote as string", "[api]\nallow_remote = \"false\"",
        "api.allow_remote: expected true or false, got a string");
    // [hub]
    row("duplicate publish unknown", "[hub]\non_duplicate_publish = \"kick\"",
        "hub.on_duplicate_publish: 'kick' is not one of reject, takeover");
    row("duplicate publish case", "[hub]\non_duplicate_publish = \"Reject\"",
        "hub.on_duplicate_publish: 'Reject' is not one of reject, takeover");
    row("gop cache too small", "[hub]\nmax_gop_cache_bytes = 1024",
        "hub.max_gop_cache_bytes: 1024 is out of range 65536..1073741824");
    row("skip backlog too short", "[hub]\nreader_skip_backlog_ms = 50",
        "hub.reader_skip_backlog_ms: 50 is out of range 100..600000");
    row("max backlog too big", "[hub]\nreader_max_backlog_bytes = 2147483648",
        "hub.reader_max_backlog_bytes: 2147483648 is out of range 65536..1073741824");
    row("disconnect too long", "[hub]\nreader_disconnect_after_ms = 3600001",
        "hub.reader_disconnect_after_ms: 3600001 is out of range 1000..3600000");
    row("disconnect before skip", "[hub]\nreader_disconnect_after_ms = 2000",
        "hub.reader_disconnect_after_ms: 2000 must be at least hub.reader_skip_backlog_ms (3000)");
    // [monitor]
    row("monitor percent zero", "[monitor]\nbitrate_low_percent = 0",
        "monitor.bitrate_low_percent: 0 is out of range 1..99");
    row("monitor loudness positive", "[monitor]\nloudness_max_lufs = 3",
        "monitor.loudness_max_lufs: 3 is out of range -70..0");
    row("monitor stall as string", "[monitor]\nstall_ms = \"2s\"",
        "monitor.stall_ms: expected an integer, got a string");
    row("monitor rollups shorter than raw",
        "[monitor]\nsamples_keep_days = 30\nminutes_keep_days = 20",
        "monitor.minutes_keep_days: 20 must be 0 (keep forever) or more than "
        "monitor.samples_keep_days (30)");
    // [director] program encoder
    row("rate control", "[director]\nrate_control = \"abr\"",
        "director.rate_control: 'abr' must be one of cbr, vbr");
    row("encoder name", "[director]\nvideo_encoder = \"NVENC H.264\"",
        "director.video_encoder: 'NVENC H.264' must be x264, auto, nvenc, qsv, amf, vaapi, "
        "videotoolbox or a libobs encoder id");
    row("x264 preset", "[director]\nx264_preset = \"turbo\"",
        "director.x264_preset: 'turbo' must be one of ultrafast, superfast, veryfast, faster, "
        "fast, medium, slow, slower, veryslow, placebo");
    row("keyframe interval", "[director]\nkeyframe_interval_s = 0",
        "director.keyframe_interval_s: 0 is out of range 1..10");
    // [director] preview
    row("preview fps not dividing", "[director]\nfps = 30\npreview_fps = 7",
        "director.preview_fps: 7 must divide director.fps (30): the preview takes every n-th "
        "canvas frame");
    row("preview on the program stream", "[director]\npreview_stream = \"live/program\"",
        "director.preview_stream: 'live/program' is also director.program_stream; give the "
        "preview a stream of its own");
    row("preview odd width", "[director]\npreview_width = 641",
        "director.preview_width/preview_height: 641x360 must both be even (4:2:0 video)");
    row("preview stream shape", "[director]\npreview_stream = \"preview\"",
        "director.preview_stream: 'preview' must be APP/NAME (letters, digits, - _ .)");
    // [limits]
    row("message too small", "[limits]\nmax_message_bytes = 1023",
        "limits.max_message_bytes: 1023 is out of range 1024..67108864");
    row("message too big", "[limits]\nmax_message_bytes = 67108865",
        "limits.max_message_bytes: 67108865 is out of range 1024..67108864");
    row("chunk streams too few", "[limits]\nmax_chunk_streams = 1",
        "limits.max_chunk_streams: 1 is out of range 2..1024");
    row("chunk streams too many", "[limits]\nmax_chunk_streams = 1025",
        "limits.max_chunk_streams: 1025 is out of range 2..1024");
    row("connections zero", "[limits]\nmax_connections = 0",
        "limits.max_connections: 0 is out of range 1..1000000");
    row("per-ip over total", "[limits]\nmax_connections_per_ip = 5000",
        "limits.max_connections_per_ip: 5000 exceeds limits.max_connections (4096)");
    row("handshake too short", "[limits]\nhandshake_timeout_ms = 99",
        "limits.handshake_timeout_ms: 99 is out of range 100..600000");
    row("idle too short", "[limits]\nidle_timeout_ms = 999",
        "limits.idle_timeout_ms: 999 is out of range 1000..86400000");
    row("header too small", "[limits]\nhttp_max_header_bytes = 1023",
        "limits.http_max_header_bytes: 1023 is out of range 1024..1048576");
    row("int64 max", "[limits]\nmax_connections = 9223372036854775807",
        "limits.max_connections: 9223372036854775807 is out of range 1..1000000");
    // [log]
    row("level unknown", "[log]\nlevel = \"verbose\"",
        "log.level: 'verbose' is not one of debug, info, warning, error");
    row("level as integer", "[log]\nlevel = 3", "log.level: expected a string, got an integer");
    // Unknown keys and misplaced values
    row("unknown key", "[server]\nrtmpport = 1935", "unknown key server.rtmpport");
    row("unknown section", "[serverr]\nrtmp_port = 1935", "unknown key serverr");
    row("unknown top-level value", "port = 1935", "unknown key port");
    row("unknown quoted key", "[auth]\n\"the key\" = \"x\"", "unknown key auth.\"the key\"");
    row("key of another section", "[auth]\nrtmp_port = 1935", "unknown key auth.rtmp_port");
    row("section as value", "server = 5", "server: expected a table, got an integer");
    row("dotted key into section", "server.rtmp_port = 99999",
        "server.rtmp_port: 99999 is out of range 1..65535");
    row("sub-table in section", "[server.tls]\ncert = \"x\"", "unknown key server.tls");
    // [acl.*]
    row("acl not a table", "acl = 1",
        "acl: expected a table of [acl.APPNAME] tables, got an integer");
    row("acl app not a table", "[acl]\nlive = \"10.0.0.0/8\"",
        "acl.live: expected a table with allow and deny, got a string");
    row("acl list not an array", "[acl.live]\nallow = \"10.0.0.0/8\"",
        "acl.live.allow: expected an array of CIDR strings, got a string");
    row("acl item not a string", "[acl.live]\nallow = [\"10.0.0.0/8\", 7]",
        "acl.live.allow[1]: expected a string, got an integer");
    row("acl bad prefix", "[acl.live]\nallow = [\"10.0.0.0/33\"]",
        "acl.live.allow[0]: invalid CIDR '10.0.0.0/33': prefix length must be 0..32");
    row("acl bad deny address", "[acl.\"*\"]\ndeny = [\"::1/128\", \"evil.example\"]",
        "acl.\"*\".deny[1]: invalid CIDR 'evil.example': 'evil.example' is not an IPv4 or IPv6 "
        "address");
    row("acl unknown key", "[acl.live]\npublish = []", "unknown key acl.live.publish");
    // [webhooks]
    row("webhook ftp", "[webhooks]\nurl = \"ftp://hooks.example/x\"",
        "webhooks.url: 'ftp://hooks.example/x' must be empty (off) or an "
        "http[s]://HOST[:PORT]/PATH URL");
    row("webhook not a url", "[webhooks]\non_publish = \"hooks.example/x\"",
        "webhooks.on_publish: 'hooks.example/x' must be empty (off) or an "
        "http[s]://HOST[:PORT]/PATH URL");
    row("webhook url with space", "[webhooks]\non_stop = \"http://h/a b\"",
        "webhooks.on_stop: 'http://h/a b' must be empty (off) or an http[s]://HOST[:PORT]/PATH "
        "URL");
    row("webhook unknown event", "[webhooks]\nevents = [\"on_publish\", \"on_connect\"]",
        "webhooks.events[1]: 'on_connect' is not one of on_publish, on_unpublish, on_play, "
        "on_stop, on_relay");
    row("webhook event twice", "[webhooks]\nevents = [\"on_play\", \"on_play\"]",
        "webhooks.events[1]: 'on_play' is listed twice");
    row("webhook events not array", "[webhooks]\nevents = \"on_play\"",
        "webhooks.events: expected an array of event names, got a string");
    row("webhook retries too many", "[webhooks]\nretries = 21",
        "webhooks.retries: 21 is out of range 0..20");
    row("webhook timeout too short", "[webhooks]\ntimeout_ms = 99",
        "webhooks.timeout_ms: 99 is out of range 100..60000");
    row("webhook queue zero", "[webhooks]\nqueue_size = 0",
        "webhooks.queue_size: 0 is out of range 1..100000");
    row("webhook secret with space", "[webhooks]\nsecret = \"a b\"",
        "webhooks.secret: must not contain spaces or control characters");
    row("webhook unknown key", "[webhooks]\nurls = []", "unknown key webhooks.urls");
    row("acl empty app name", "[acl.\"\"]\nallow = []",
        "acl: an app name must not be empty (use \"*\" for every app)");
    // [[relay]]
    row("hls mode unknown", "[hls]\nmode = \"sometimes\"",
        "hls.mode: 'sometimes' is not one of off, on_demand, always");
    row("hls segment too short", "[hls]\nsegment_ms = 100",
        "hls.segment_ms: 100 is out of range 500..30000");
    row("hls key rotation negative", "[hls]\nkey_rotate_segments = -1",
        "hls.key_rotate_segments: -1 is out of range 0..1000000");
    row("hls encrypt not a bool", "[hls]\nencrypt = \"yes\"",
        "hls.encrypt: expected true or false, got a string");
    row("hls key folder empty", "[hls]\nkey_folder = \"\"",
        "hls.key_folder: must name a folder for the HLS keys (relative: in the data folder)");
    row("hls key folder published", "[hls]\nfolder = \"out\"\nkey_folder = \"out/keys\"",
        "hls.key_folder: 'out/keys' is inside hls.folder ('out'), which is published: keep the "
        "keys elsewhere");
    row("hls origin url not http", "[hls]\norigin_url = \"ftp://cdn.example/in\"",
        "hls.origin_url: 'ftp://cdn.example/in' must start with http:// or https://; expected "
        "http[s]://HOST[:PORT][/PATH] or \"\" (off)");
    row("hls origin url bad port", "[hls]\norigin_url = \"http://cdn.example:99999/in\"",
        "hls.origin_url: 'http://cdn.example:99999/in' has an invalid port '99999' (allowed "
        "1..65535); expected http[s]://HOST[:PORT][/PATH] or \"\" (off)");
    row("hls origin header without colon", "[hls]\norigin_header = \"Bearer X\"",
        "hls.origin_header: must be \"Name: value\" (e.g. \"Authorization: Bearer X\") on one "
        "line");
    row("hls origin timeout too short", "[hls]\norigin_timeout_ms = 10",
        "hls.origin_timeout_ms: 10 is out of range 100..60000");
    row("hls origin ca file missing", "[hls]\norigin_ca_file = \"/nonexistent/ca.pem\"",
        "hls.origin_ca_file: '/nonexistent/ca.pem' is not a readable file (a PEM file of the CA "
        "certificates to trust, or \"\" for the system's)");
    row("hls dvr window too long", "[hls]\ndvr_window_seconds = 604801",
        "hls.dvr_window_seconds: 604801 is out of range 0..604800");
    row("hls dvr window too short", "[hls]\ndvr_window_seconds = 5",
        "hls.dvr_window_seconds: 5 must be 0 (off) or 10..604800");
    row("hls dvr max bytes too small", "[hls]\ndvr_max_bytes = 1000",
        "hls.dvr_max_bytes: 1000 is out of range 1048576..1099511627776");
    row("hls dvr folder empty", "[hls]\ndvr_folder = \"\"",
        "hls.dvr_folder: must name a folder for the DVR segments (relative: in the data folder)");
    row("hls dvr folder is key folder", "[hls]\ndvr_window_seconds = 60\ndvr_folder = \"hls-keys\"",
        "hls.dvr_folder: 'hls-keys' is also hls.folder or hls.key_folder: give DVR a folder of "
        "its own");
    row("relay http scheme", "[[relay]]\nstream = \"live/a\"\nurl = \"http://h:1/x?k=secret\"",
        "relay[0].url: 'http://h:1/x' must be an rtmp://, rtmps:// or srt:// URL");
    row("relay tls_verify not bool",
        "[[relay]]\nstream = \"live/a\"\nurl = \"rtmps://h/l/x\"\ntls_verify = \"no\"",
        "relay[0].tls_verify: expected true or false, got a string");
    row("relay stream without app", "[[relay]]\nstream = \"a\"\nurl = \"rtmp://h/l/x\"",
        "relay[0].stream: 'a' must be APP/NAME");
    // [[pull]]
    row("pull ftp scheme", "[[pull]]\nstream = \"live/a\"\nurl = \"ftp://h/x?k=secret\"",
        "pull[0].url: 'ftp://h/x' must be an rtmp://, rtmps://, http(s):// (FLV or HLS) or "
        "srt:// URL");
    row("pull twice",
        "[[pull]]\nstream = \"live/a\"\nurl = \"rtmp://h/l/x\"\n[[pull]]\n"
        "stream = \"live/a\"\nurl = \"srt://h:1\"",
        "pull[1].stream: 'live/a' is already pulled by an earlier entry");
    // [record]
    row("record format", "[record]\nformat = \"mkv\"",
        "record.format: 'mkv' is not one of mp4, ts, flv");
    row("record pattern without app", "[record]\nstreams = [\"main\"]",
        "record.streams[0]: 'main' is not a stream pattern: use APP/STREAM, where either part "
        "may be '*' (e.g. \"live/*\")");
    row("record pattern traversal", "[record]\nstreams = [\"live/..\"]",
        "record.streams[0]: 'live/..' is not a stream pattern: use APP/STREAM, where either "
        "part may be '*' (e.g. \"live/*\")");
    row("record template slash", "[record]\nfile_template = \"../{stream}\"",
        "record.file_template: '../{stream}' must be a file name template without '/', '\\' "
        "or '..' (placeholders {app}, {stream}, {time}, {seq})");
    row("record fragment", "[record]\nfragment_ms = 50",
        "record.fragment_ms: 50 is out of range 100..10000");
    row("pull unknown key", "[[pull]]\nstream = \"live/a\"\nurl = \"rtmp://h/l/x\"\nretry = 1",
        "unknown key pull[0].retry");
    // [snapshot]
    row("snapshot odd width", "[snapshot]\nwidth = 321",
        "snapshot.width: 321 must be even (JPEG 4:2:0 halves the width)");
    row("snapshot interval zero", "[snapshot]\ninterval_seconds = 0",
        "snapshot.interval_seconds: 0 is out of range 1..3600");
    row("snapshot empty folder", "[snapshot]\nfolder = \"\"",
        "snapshot.folder: must be a folder name or path");
}

void tst_Config::errors() {
    QFETCH(QString, toml);
    QFETCH(QString, error);
    const auto parsed = parseConfig(toml.toStdString(), "config.toml");
    QCOMPARE(errorOf(parsed), error);
}

void tst_Config::syntaxErrors_data() {
    QTest::addColumn<QString>("toml");
    QTest::addColumn<QString>("error");

    // toml++'s own descriptions, prefixed with source:line:column.
    QTest::newRow("unclosed table header")
        << "[server\nrtmp_port = 1"
        << "config.toml:1:8: Error while parsing table header: expected ']', saw '\\n'";
    QTest::newRow("key defined twice")
        << "[server]\nrtmp_port = 1\nrtmp_port = 2"
        << "config.toml:3:13: Error while parsing key-value pair: cannot redefine existing "
           "integer 'rtmp_port'";
    QTest::newRow("unterminated string")
        << "a = \"unterminated"
        << "config.toml:1:18: Error while parsing string: encountered end-of-file";
    QTest::newRow("double equals on line 4")
        << "\n\n[server]\n    rtmp_port = = 3"
        << "config.toml:4:17: Error while parsing value: could not determine value type";
    QTest::newRow("invalid utf-8") << QString::fromLatin1("[server]\nbind = \"\xff\"")
                                   << "config.toml:2:8: Encountered invalid utf-8 sequence";
}

void tst_Config::syntaxErrors() {
    QFETCH(QString, toml);
    QFETCH(QString, error);
    // Latin-1 keeps the raw 0xff byte of the utf-8 row; the other rows are ASCII.
    const QByteArray bytes = toml.toLatin1();
    const auto parsed =
        parseConfig(std::string_view(bytes.constData(), std::size_t(bytes.size())), "config.toml");
    QCOMPARE(errorOf(parsed), error);
}

void tst_Config::pullTables() {
    const auto parsed =
        parseConfig("[[pull]]\nstream = \"remote/cdn\"\nurl = \"http://h:8080/live/x.flv\"\n\n"
                    "[[pull]]\nstream = \"remote/srt\"\nurl = \"srt://h:10080?streamid=x\"\n",
                    "config.toml");
    QVERIFY2(parsed.has_value(), qPrintable(errorOf(parsed)));
    QCOMPARE(parsed->pulls.size(), std::size_t(2));
    QCOMPARE(parsed->pulls[0].stream, std::string("remote/cdn"));
    QCOMPARE(parsed->pulls[1].url, std::string("srt://h:10080?streamid=x"));
}

void tst_Config::relayTables() {
    const auto parsed = parseConfig("[[relay]]\nstream = \"live/a\"\nurl = \"rtmp://h/l/x\"\n\n"
                                    "[[relay]]\nstream = \"live/b\"\nurl = \"rtmps://h/l/y\"\n"
                                    "ca_file = \"/etc/ca.pem\"\ntls_verify = false\n",
                                    "config.toml");
    QVERIFY2(parsed.has_value(), qPrintable(errorOf(parsed)));
    QCOMPARE(parsed->relays.size(), std::size_t(2));
    QCOMPARE(parsed->relays[0].url, std::string("rtmp://h/l/x"));
    QVERIFY(parsed->relays[0].tlsVerify);
    QVERIFY(parsed->relays[0].caFile.empty());
    QCOMPARE(parsed->relays[1].caFile, std::string("/etc/ca.pem"));
    QVERIFY(!parsed->relays[1].tlsVerify);
}

void tst_Config::aclTables() {
    const auto parsed = parseConfig(R"toml(
[acl."*"]
deny = ["203.0.113.0/24"]

[acl.live]
allow = ["10.0.0.0/8", "192.168.1.7", "fe80::/10"]
deny = ["10.66.0.0/16"]

[acl.quiet]
)toml",
                                    "config.toml");
    QVERIFY2(parsed.has_value(), qPrintable(errorOf(parsed)));
    QCOMPARE(parsed->acl.size(), std::size_t(3));
    const AclRules all = parsed->acl.at("*");
    QVERIFY(all.allow.empty());
    QCOMPARE(all.deny, std::vector<std::string>{"203.0.113.0/24"});
    const AclRules live = parsed->acl.at("live");
    QCOMPARE(live.allow, (std::vector<std::string>{"10.0.0.0/8", "192.168.1.7", "fe80::/10"}));
    QCOMPARE(live.deny, std::vector<std::string>{"10.66.0.0/16"});
    QVERIFY(parsed->acl.at("quiet") == AclRules{});
}

void tst_Config::defaultTomlParsesToDefaults() {
    const auto parsed = parseConfig(defaultConfigToml(), "default");
    QVERIFY2(parsed.has_value(), qPrintable(errorOf(parsed)));
    QVERIFY(*parsed == Config{});
    // Not an empty file in disguise: every section is written out.
    const QString text = QString::fromStdString(defaultConfigToml());
    for (const char* section :
         {"[server]", "[auth]", "[api]", "[hub]", "[limits]", "[srt]", "[hls]", "[log]",
          "[webhooks]", "[monitor]", "[moderation]", "[record]", "[snapshot]", "[director]"}) {
        QVERIFY2(text.contains(QLatin1String(section)), section);
    }
    QCOMPARE(text.count(QRegularExpression("^[a-z0-9_]+ = ", QRegularExpression::MultilineOption)),
             136);
}

void tst_Config::exampleFileMatchesDefaults() {
    const QString path = kSourceDir + "/resources/stagecast.example.toml";
    const QString text = readText(path);
    QVERIFY2(!text.isEmpty(), qPrintable(path));
    QCOMPARE(text, QString::fromStdString(defaultConfigToml()));
    const auto loaded = loadConfigFile(path.toStdString());
    QVERIFY2(loaded.has_value(), qPrintable(errorOf(loaded)));
    QVERIFY(*loaded == Config{});
}

void tst_Config::docsListEveryKey() {
    const QString docs = readText(kSourceDir + "/docs/configuration.md");
    QVERIFY(!docs.isEmpty());
    // Every "key = value" line of the default file, qualified by its [section].
    QString section;
    int keys = 0;
    const auto lines = QString::fromStdString(defaultConfigToml()).split('\n');
    for (const QString& line : lines) {
        if (line.startsWith('[')) {
            section = line.mid(1, line.indexOf(']') - 1);
        } else if (const auto match = QRegularExpression("^([a-z0-9_]+) = ").match(line);
                   match.hasMatch()) {
            const QString key = "`" + section + "." + match.captured(1) + "`";
            QVERIFY2(docs.contains(key), qPrintable(key + " is not in docs/configuration.md"));
            ++keys;
        }
    }
    QCOMPARE(keys, 136);
}

void tst_Config::loadFile() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("stagecast.toml");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("[server]\nrtmp_port = 19350\n\n[log]\nlevel = \"warning\"\n");
    file.close();
    const auto loaded = loadConfigFile(path.toStdString());
    QVERIFY2(loaded.has_value(), qPrintable(errorOf(loaded)));
    QCOMPARE(loaded->server.rtmpPort, std::uint16_t(19350));
    QVERIFY(loaded->log.level == stagecast::base::LogLevel::Warning);

    // Errors from a file carry its path, and TOML errors its line and column.
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write("[server]\nrtmp_port = 1935\n[server\n");
    file.close();
    QCOMPARE(errorOf(loadConfigFile(path.toStdString())),
             path + ":3:8: Error while parsing table header: expected ']', saw '\\n'");
}

void tst_Config::loadMissingFile() {
    QTemporaryDir dir;
    const QString path = dir.filePath("absent.toml");
    QCOMPARE(errorOf(loadConfigFile(path.toStdString())), path + ": file not found");
}

void tst_Config::loadDirectory() {
    QTemporaryDir dir;
    QCOMPARE(errorOf(loadConfigFile(dir.path().toStdString())),
             dir.path() + ": not a regular file");
}

void tst_Config::names() {
    QCOMPARE(logLevelName(stagecast::base::LogLevel::Debug), std::string_view("debug"));
    QCOMPARE(logLevelName(stagecast::base::LogLevel::Error), std::string_view("error"));
    QCOMPARE(duplicatePublishName(DuplicatePublish::Takeover), std::string_view("takeover"));
}

QTEST_APPLESS_MAIN(tst_Config)
#include "tst_Config.moc"
