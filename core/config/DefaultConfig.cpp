// The commented default file. resources/stagecast.example.toml must be this exact text and
// parse to Config{} (tst_Config checks both), so a changed default shows up in all three.

#include "config/Config.h"

namespace stagecast::config {

std::string defaultConfigToml() {
    return R"toml(# Stagecast Studio configuration.
# Every key is optional: the values below are the defaults. Unknown keys are errors.
# Durations end in _ms or _seconds, sizes in _bytes. See docs/configuration.md.

[server]
# Address to listen on: 0.0.0.0 = every IPv4 interface, :: = every interface.
bind = "0.0.0.0"
# Listening ports, 1..65535, all different.
rtmp_port = 1935
http_port = 8080
srt_port = 10080
# Network threads, 0..64; 0 = one per CPU core.
io_threads = 0
# Host name or address printed in stream URLs; empty = chosen by the app.
public_host = ""

[auth]
# Require a signed URL (auth_key=...) to publish / to play.
publish = true
play = false
# Signing key; empty = generated once and kept in the data folder.
key = ""
# Also accepted while rotating keys; empty = none.
secondary_key = ""
# Extra seconds a URL stays valid after its timestamp, 0..31536000.
window_seconds = 0

[api]
# Accept control API requests from other machines (always with the token).
allow_remote = false
# API bearer token; empty = generated once and kept in the data folder.
token = ""
# Access-Control-Allow-Origin: "*", "" (none) or an origin like https://example.com.
cors_origin = "*"

[hub]
# Keep the last group of pictures so new viewers start at once.
gop_cache = true
# A second publisher on a live stream: "reject" it or let it "takeover".
on_duplicate_publish = "reject"
# Largest cached group of pictures, 65536..1073741824.
max_gop_cache_bytes = 33554432
# A viewer this far behind skips ahead to the next keyframe, 100..600000.
reader_skip_backlog_ms = 3000
# ...or this many bytes behind, 65536..1073741824.
reader_max_backlog_bytes = 16777216
# A viewer that stays behind this long is disconnected, 1000..3600000.
reader_disconnect_after_ms = 10000

[limits]
# Largest RTMP message accepted, 1024..67108864.
max_message_bytes = 16777216
# RTMP chunk streams per connection, 2..1024.
max_chunk_streams = 64
# Open connections in total (1..1000000) and from one address.
max_connections = 4096
max_connections_per_ip = 256
# Time allowed for the RTMP handshake, 100..600000.
handshake_timeout_ms = 10000
# A connection silent this long is closed, 1000..86400000.
idle_timeout_ms = 30000
# Largest HTTP request header block, 1024..1048576.
http_max_header_bytes = 16384

[srt]
# Passphrase for SRT encryption (AES); empty = unencrypted. 10..79 characters.
passphrase = ""
# SRT receive latency, 20..8000 ms: higher survives more loss on the link.
latency_ms = 120

[hls]
# HLS at http://HOST:8080/APP/STREAM.m3u8: "on_demand" packages a stream from its first
# playlist request until idle_stop_seconds after the last; "always" from its publish;
# "off" serves no HLS.
mode = "on_demand"
# Target segment duration, 500..30000 ms; a segment ends at the first keyframe after it.
segment_ms = 2000
# Segments listed in the live playlist, 3..100.
window_segments = 6
# Packaging stops this long after the last request (on_demand) or the unpublish (always).
idle_stop_seconds = 30
# A viewer session ends this long after its last request, 5..3600.
session_timeout_seconds = 20
# Memory for one stream's segments, 1 MiB..1 GiB; the oldest go first.
max_stream_bytes = 67108864
# Streams packaged at once, 1..10000.
max_streams = 64
# LL-HLS on fMP4 beside it at http://HOST:8080/APP/STREAM/ll.m3u8: partial segments,
# blocking playlist reload and preload hints (hls.js low-latency mode, Safari).
low_latency = true
# Partial segment target, 100..2000 ms (about a third of a second is what players expect).
part_ms = 334
# Also write MPEG-TS segments and playlists to FOLDER/APP/STREAM/{SEQ.ts,index.m3u8} for a
# CDN or web server to serve; relative paths are in the data folder. "" = off.
folder = ""
# AES-128 encryption of MPEG-TS HLS (and of the folder output): keys at
# /APP/STREAM/key/ID.key for viewer sessions and signed URLs only. LL-HLS is not served
# while it is on.
encrypt = false
# A new key every N segments, 0..1000000; 0 = one key until the publisher changes.
key_rotate_segments = 10
# Where the keys are kept (KEY_FOLDER/APP/STREAM/ID.key, mode 0600); relative paths are in
# the data folder. Never inside the published folder above.
key_folder = "hls-keys"
# Also send MPEG-TS segments and playlists to an HTTP origin (a CDN's ingest) with PUT:
# ORIGIN_URL/APP/STREAM/{SEQ.ts,index.m3u8}; http:// or https://. "" = off.
origin_url = ""
# DELETE segments from the origin once they left the window (and the extra late ones).
origin_delete = true
# One header sent with every origin request, e.g. "Authorization: Bearer TOKEN"; "" = none.
origin_header = ""
# Connect, send and answer of one origin request, 100..60000 ms.
origin_timeout_ms = 5000
# https origins: the certificate chain and host name are checked against the system's CAs,
# or against origin_ca_file (a PEM file) when given; origin_tls_verify = false skips the
# check (lab origins only).
origin_ca_file = ""
origin_tls_verify = true
# DVR (time-shift): keep this many seconds of every stream's HLS on disk, 0..604800
# (0 = off; else at least 10), played at http://HOST:8080/APP/STREAM_dvr.m3u8. With DVR on,
# packaging starts at the publish. Not kept while encrypt is on. Deleted at stop and start.
dvr_window_seconds = 0
# Where the DVR segments are kept (DVR_FOLDER/APP/STREAM/ID/SEQ.ts); relative paths are in
# the data folder. A folder of its own: its windows are deleted at start.
dvr_folder = "hls-dvr"
# Disk for one stream's DVR window, 1 MiB..1 TiB; the oldest segments go first.
dvr_max_bytes = 2147483648

[log]
# debug, info, warning or error.
level = "info"

[webhooks]
# HTTP POSTs of JSON events to your receivers (docs/webhooks.md); SRS-compatible fields.
# Receives every event listed in `events`; empty = off. http:// only.
url = ""
# Which events go to `url`: on_publish, on_unpublish, on_play, on_stop, on_relay.
events = ["on_publish", "on_unpublish", "on_play", "on_stop", "on_relay"]
# A URL for one event instead of `url`. on_publish is asked BEFORE each RTMP or SRT
# publish starts: HTTP 200 with "0" or {"code":0} allows it, any other answer refuses it.
on_publish = ""
on_unpublish = ""
on_play = ""
on_stop = ""
on_relay = ""
# HMAC-SHA256 key for X-Stagecast-Signature; empty = generated once into the data folder.
secret = ""
# Time for one delivery attempt, 100..60000.
timeout_ms = 5000
# Further attempts after a failed one (no answer, 408, 429, 5xx), 0..20.
retries = 4
# Delay before the first retry, doubled for each further one (+-20 % jitter), 100..600000.
retry_delay_ms = 1000
# How long a publish waits for the on_publish answer, 100..60000.
on_publish_timeout_ms = 3000
# When on_publish gives no answer (unreachable, timeout, 5xx): allow the publish (true)
# or refuse it (false, as SRS does).
fail_open = false
# Deliveries waiting at most, 1..100000; when full the oldest is dropped (counted).
queue_size = 1000
# https:// receivers: the certificate is checked against the system's CAs, or against
# ca_file (a PEM file) when given, and must name the URL's host; tls_verify = false skips
# the check (lab receivers only).
ca_file = ""
tls_verify = true

[monitor]
# A live stream with no media packet for this long counts as stalled, 100..600000.
stall_ms = 2000
# Alert "stream_down": a stream that was live has had no publisher this long, 1..86400.
stream_down_seconds = 5
# Alert "bitrate_low": bitrate below this percent (1..99) of its median over the window
# (10..3600 s) for bitrate_low_seconds (1..3600).
bitrate_low_percent = 50
bitrate_window_seconds = 60
bitrate_low_seconds = 5
# Alert "fps_low": frame rate below this percent (1..99) of nominal for fps_low_seconds.
fps_low_percent = 80
fps_low_seconds = 5
# Alert "keyframe_missing": no keyframe for this long, 1..3600.
keyframe_missing_seconds = 10
# Alerts from content probes: silence, black or frozen picture for this long, 1..3600.
silence_seconds = 10
black_seconds = 10
frozen_seconds = 10
# Alert "loudness_high": short-term loudness above this (-70..0 LUFS) for loudness_seconds.
loudness_max_lufs = -10
loudness_seconds = 5
# Health samples: raw for this many days (1..3650), then per-minute rollups kept for
# minutes_keep_days (0 = forever, else more than samples_keep_days, up to 36500).
samples_keep_days = 7
minutes_keep_days = 365
# Decode each live stream's keyframes (about 1 picture/s) and audio for the silence, black,
# frozen and loudness alerts; at most max_probes (1..256) streams at once, one thread each.
content_probes = true
max_probes = 8

[moderation]
# Viewer chat and Q&A (docs/moderation.md). Every clean message waits for a moderator
# (true) or appears at once (false); per stream it can be changed over the API.
pre_moderation = false
# Posting without a name.
allow_anonymous = true
# Word and phrase lists, one per line under "[NAME hold|reject|label]" headers; in the data
# folder unless absolute. A missing file means no file lists.
word_list_file = "moderation-words.txt"
# Inline lists: held for review, and refused at once. Matched after NFKC and case folding,
# so full-width and mixed-case variants match too.
words_hold = []
words_reject = []
# Phone numbers, e-mail addresses, ID-card numbers; and links: off, label, hold or reject.
personal_data = "hold"
links = "hold"
# Per viewer: rate_messages (1..1000) at once, regained over rate_window_seconds (1..86400).
rate_messages = 5
rate_window_seconds = 30
# The same message again within this many seconds (0..86400, 0 = allowed) is refused.
repeat_window_seconds = 60
# Longest message, in characters (1..10000).
max_message_chars = 500
# Content alerts (black, frozen, silence, loudness) and refused publishes become items in the
# moderation queue.
detector_items = true

[record]
# Recordings (docs/recording.md): folder (relative: in the data folder) and container: "mp4"
# (fragmented while recording, so a crash loses at most a fragment; finalised into a normal
# MP4 when the recording ends), "ts" or "flv".
folder = "recordings"
format = "mp4"
# File name without extension: {app}, {stream}, {time} (UTC start, YYYYMMDD-HHMMSS), {seq};
# letters, digits, '.', '_' and '-' around them.
file_template = "{app}_{stream}_{time}"
# Streams recorded whenever they are live, as APP/STREAM patterns ("live/*", "*/*"); others
# are recorded on demand over the API.
streams = []
# Start a new file at the next keyframe after this many seconds (0..604800) or bytes (0 = no
# limit).
max_duration_seconds = 0
max_bytes = 0
# A publisher back within this many seconds (0..3600) with the same codecs continues the file.
resume_window_seconds = 10
# Longest MP4 fragment in ms (100..10000): what a crash or power cut may lose.
fragment_ms = 1000
# Disk guard: with less free space than this in the folder, recordings stop cleanly (alert
# "disk_low") and none starts; 0 = off.
min_free_bytes = 1073741824
# At most this many streams (1..1024) recorded at once.
max_recorders = 16

[snapshot]
# A JPEG thumbnail of every live stream (docs/snapshots.md): every interval_seconds (1..3600)
# the next keyframe is decoded, scaled to width pixels (even, 16..3840; the height follows the
# aspect ratio) and written to FOLDER/APP/STREAM/latest.jpg. The folder is in the data folder
# unless absolute. At most max_streams (1..256) streams at once, one thread each.
enabled = true
interval_seconds = 5
width = 320
folder = "snapshots"
max_streams = 16
# Evidence copies (pictures moderation items refer to, FOLDER/APP/STREAM/evidence/) older than
# this many hours are deleted, at start and whenever a new one is kept; 0..87600, 0 = never.
evidence_keep_hours = 2160

[director]
# The libobs director (docs/director.md): hub streams as inputs, preview/program, layouts,
# the program published as program_stream. Headless runs start it only when enabled (or
# with --director); it needs an X display (a desktop session or xvfb-run).
enabled = false
# Canvas: width 16..7680, height 16..4320, fps 1..120.
width = 1280
height = 720
fps = 30
program_stream = "live/program"
# The program's H.264 encoder: "x264", "auto" (the first hardware encoder libobs offers
# here, else x264), "nvenc", "qsv", "amf", "vaapi", "videotoolbox", or a libobs encoder id.
# One that is missing or does not start falls back to x264, named in GET /api/v1/director.
video_encoder = "x264"
# "cbr" (constant bitrate with filler, what CDN ingests ask for) or "vbr" (capped quality).
rate_control = "cbr"
# Seconds between keyframes (1..10): 1 for 1 s HLS segments, 2 for most CDNs.
keyframe_interval_s = 2
# x264 speed (ultrafast..placebo); hardware encoders ignore it.
x264_preset = "veryfast"
# Video and AAC bitrates.
video_bitrate_kbps = 2500
audio_bitrate_kbps = 160
# Auto's fade when a request names no duration (0..60000).
transition_ms = 1000
# An input with a publisher but no picture for this long (100..60000) is "stalled".
stall_ms = 1000
# The preview with the overlay layer on top, rendered by a second libobs mix, encoded with
# x264 (ultrafast, zerolatency, CBR, no audio) and published as preview_stream, for players,
# the web admin and panel monitors. Width 16..3840 and height 16..2160 (even), fps 1..120
# dividing the canvas fps, bitrate 100..20000 kbit/s.
preview_output = true
preview_stream = "live/preview"
preview_width = 640
preview_height = 360
preview_fps = 15
preview_bitrate_kbps = 800

[transcode]
# ABR renditions of live streams (docs/transcoding.md): 1080p, 720p, 480p, 360p, each a
# stream APP/STREAM_720p. x264 preset (ultrafast..placebo) and threads (1..16) per rendition.
preset = "veryfast"
threads = 1
# Sources transcoded at once (1..64); pictures a rendition may have waiting (100..10000 ms)
# before it drops to its next keyframe and reports transcode_behind.
max_transcodes = 2
queue_ms = 1000
# Rules: streams matching pattern ('*' within a part) are transcoded while published;
# mode "fixed" (bitrate) or "narrowband" (capped CRF).
# [[transcode.rule]]
# pattern = "live/*"
# renditions = ["720p", "480p", "360p"]
# mode = "fixed"

# Client address rules per app ("*" = every app). Deny wins; a non-empty allow list
# admits only the addresses it matches. Entries are CIDR blocks or single addresses.
# [acl."*"]
# allow = []
# deny = []
#
# [acl.live]
# allow = ["10.0.0.0/8", "192.168.1.7", "fe80::/10"]
# deny = ["10.66.0.0/16"]

# Relays: push a hub stream to an external RTMP, RTMPS or SRT server (a CDN ingest,
# nginx-rtmp, SRS), reconnecting with backoff. One [[relay]] table per destination.
# SRT: url = "srt://HOST:PORT?streamid=...&passphrase=...". For rtmps, the certificate is
# checked against the system's CAs, or against ca_file (a PEM file) when given;
# tls_verify = false skips the check (lab origins only).
# [[relay]]
# stream = "live/program"
# url = "rtmps://cdn.example.com:443/live/program?key=..."
# ca_file = ""
# tls_verify = true
)toml";
}

} // namespace stagecast::config
