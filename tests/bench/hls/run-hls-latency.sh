#!/usr/bin/env bash
# Publish -> player latency by timestamp matching for RTMP, HTTP-FLV, HLS (1 s segments) and
# LL-HLS, all from Stagecast in ONE load-tool run (one publisher, one send log, four players),
# then nginx-rtmp (RTMP play and its HLS with 1 s fragments, served by nginx) in a second run
# with the same file. How the players work and what "arrival" and "playback" mean:
# tests/bench/loadtool/HlsPlayer.h and docs/benchmarks.md. NOT a test: CI never runs it.
#
# Usage: tests/bench/hls/run-hls-latency.sh
# Environment: BUILD_DIR (build), OUT_DIR (build-bench), BENCH_SECONDS (40: the window),
#              BENCH_SETTLE_MS (8000: players start, then this long before measuring),
#              BENCH_NGINX (1: also the nginx-rtmp run; 0: Stagecast only),
#              BENCH_BROWSER (1: also hls.js in Chromium, end to end by program date-time;
#              needs `npm ci --prefix tests/browser`)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
BUILD=$(cd "$ROOT" && realpath -m "${BUILD_DIR:-build}")
OUT=$(cd "$ROOT" && realpath -m "${OUT_DIR:-build-bench}")/hls-latency
SECS=${BENCH_SECONDS:-40}
SETTLE=${BENCH_SETTLE_MS:-8000}
WITH_NGINX=${BENCH_NGINX:-1}
WITH_BROWSER=${BENCH_BROWSER:-1}
STAGECAST=$BUILD/app/stagecast
LOAD=$BUILD/tests/bench/loadtool/stagecast-load
NGINX=/usr/sbin/nginx
RTMP_MODULE=/usr/lib/nginx/modules/ngx_rtmp_module.so

die() { echo "run-hls-latency: $*" >&2; exit 1; }
for tool in ffmpeg jq python3 "$STAGECAST" "$LOAD"; do
    command -v "$tool" >/dev/null || [ -x "$tool" ] || die "missing $tool (build first)"
done
if [ "$WITH_BROWSER" = 1 ] && [ ! -d "$ROOT/tests/browser/node_modules" ]; then
    die "the browser run needs npm ci --prefix tests/browser (or BENCH_BROWSER=0)"
fi
if [ "$WITH_NGINX" = 1 ] && { [ ! -x "$NGINX" ] || [ ! -f "$RTMP_MODULE" ]; }; then
    die "the nginx run needs nginx-light and libnginx-mod-rtmp (or BENCH_NGINX=0)"
fi

rm -rf "$OUT"
mkdir -p "$OUT/studio" "$OUT/nginx/logs" "$OUT/nginx/hls"
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# 30 s of 1280x720 30 fps test pattern + tone, H.264 2.4 Mbit/s with a keyframe every second
# (1 s segments need 1 s GOPs), AAC 128 kbit/s; the load tool loops it in real time.
MEDIA=$OUT/source-720p30-gop1s.flv
ffmpeg -hide_banner -loglevel error -y -f lavfi -i testsrc2=size=1280x720:rate=30 \
    -f lavfi -i sine=frequency=1000:sample_rate=48000 -t 30 -c:v libx264 -preset veryfast \
    -pix_fmt yuv420p -b:v 2372k -maxrate 2372k -bufsize 2372k \
    -x264-params keyint=30:min-keyint=30:scenecut=0 -c:a aac -b:a 128k -f flv "$MEDIA"

# Stagecast: HLS from the publish, 1 s segments, LL-HLS with its default 334 ms parts.
S_RTMP=$(free_port); S_HTTP=$(free_port)
cat >"$OUT/studio/config.toml" <<CONF
[auth]
publish = false
[hls]
mode = "always"
segment_ms = 1000
window_segments = 6
low_latency = true
[log]
level = "warning"
CONF
"$STAGECAST" --headless --data-dir "$OUT/studio" --config "$OUT/studio/config.toml" \
    --rtmp-port "$S_RTMP" --http-port "$S_HTTP" --srt-port 0 >"$OUT/studio.log" 2>&1 &
PIDS+=($!); STUDIO_PID=$!
for _ in $(seq 100); do grep -q "STAGECAST READY" "$OUT/studio.log" && break; sleep 0.1; done
grep -q "STAGECAST READY" "$OUT/studio.log" || die "stagecast did not start: $(tail -5 "$OUT/studio.log")"

START=$(date -u +%Y-%m-%dT%H:%M:%SZ)
echo "run-hls-latency: Stagecast: RTMP, HTTP-FLV, HLS, LL-HLS players, ${SECS}s window" >&2
"$LOAD" --publish-url "rtmp://127.0.0.1:$S_RTMP/live/bench" --file "$MEDIA" \
    --rtmp-play "rtmp://127.0.0.1:$S_RTMP/live/bench" --rtmp-players 1 \
    --flv-play "http://127.0.0.1:$S_HTTP/live/bench.flv" --flv-players 1 \
    --hls-play "http://127.0.0.1:$S_HTTP/live/bench.m3u8" --hls-players 1 \
    --ll-hls-play "http://127.0.0.1:$S_HTTP/live/bench/ll.m3u8" --ll-hls-players 1 \
    --seconds "$SECS" --ramp-ms 0 --settle-ms "$SETTLE" --server-pid "$STUDIO_PID" --json \
    >"$OUT/stagecast.json" 2>"$OUT/stagecast-load.log" || die "load tool failed: $(tail -3 "$OUT/stagecast-load.log")"

# hls.js in headless Chromium on the same studio: a fresh publish of the same file in real time
# (ffmpeg -re, copied), LL-HLS then plain HLS, each for the window. End to end is the wall
# clock minus the EXT-X-PROGRAM-DATE-TIME of the picture on screen (hls.js playingDate): from
# the studio's ingest to the screen.
if [ "$WITH_BROWSER" = 1 ]; then
    ffmpeg -hide_banner -loglevel error -re -stream_loop -1 -i "$MEDIA" -c copy -f flv \
        "rtmp://127.0.0.1:$S_RTMP/live/browser" >"$OUT/browser-publish.log" 2>&1 &
    PIDS+=($!); BROWSER_PUB=$!
    sleep 4
    # ll: hls.js defaults with lowLatencyMode; ll-catchup: also maxLiveSyncPlaybackRate 1.5
    # (hls.js may play up to 1.5x to get back to its target after a stall); hls: MPEG-TS;
    # hls-catchup: MPEG-TS with maxLiveSyncPlaybackRate 1.5.
    for kind in ll ll-catchup hls hls-catchup; do
        case $kind in
            ll) url="http://127.0.0.1:$S_HTTP/live/browser/ll.m3u8"; flags=() ;;
            ll-catchup) url="http://127.0.0.1:$S_HTTP/live/browser/ll.m3u8"; flags=(--catch-up=1.5) ;;
            hls) url="http://127.0.0.1:$S_HTTP/live/browser.m3u8"; flags=(--no-low-latency) ;;
            hls-catchup) url="http://127.0.0.1:$S_HTTP/live/browser.m3u8"
                flags=(--no-low-latency --catch-up=1.5) ;;
        esac
        echo "run-hls-latency: hls.js in Chromium, $kind, ${SECS}s" >&2
        node "$ROOT/tests/browser/hls-latency.mjs" "$url" "$SECS" "${flags[@]}" \
            >"$OUT/browser-$kind.json" 2>"$OUT/browser-$kind.log" ||
            echo "run-hls-latency: browser $kind failed" >&2
    done
    kill "$BROWSER_PUB" 2>/dev/null || true
fi
kill "$STUDIO_PID" 2>/dev/null || true

if [ "$WITH_NGINX" = 1 ]; then
    # nginx-rtmp: its HLS with 1 s fragments (cut at keyframes), served by nginx's http module.
    # Its MPEG-TS timestamps are the RTMP ones plus a fixed 700 ms (63000 ticks: a segment's
    # first keyframe published at dts 0 is written at dts 63000), which the HLS player takes
    # off before matching frames with what it published (--hls-ts-offset-ms).
    N_RTMP=$(free_port); N_HTTP=$(free_port)
    cat >"$OUT/nginx/nginx.conf" <<CONF
load_module $RTMP_MODULE;
worker_processes 1;
daemon off;
master_process off;
pid $OUT/nginx/logs/nginx.pid;
error_log $OUT/nginx/logs/error.log warn;
events { worker_connections 1024; }
rtmp {
    server {
        listen 127.0.0.1:$N_RTMP;
        application live {
            live on;
            hls on;
            hls_path $OUT/nginx/hls;
            hls_fragment 1s;
            hls_playlist_length 6s;
        }
    }
}
http {
    access_log off;
    types { application/vnd.apple.mpegurl m3u8; video/mp2t ts; }
    server {
        listen 127.0.0.1:$N_HTTP;
        location /live/ { alias $OUT/nginx/hls/; add_header Cache-Control no-cache; }
    }
}
CONF
    "$NGINX" -p "$OUT/nginx" -c "$OUT/nginx/nginx.conf" -e "$OUT/nginx/logs/error.log" \
        >"$OUT/nginx.log" 2>&1 &
    PIDS+=($!); NGINX_PID=$!
    sleep 1
    echo "run-hls-latency: nginx-rtmp: RTMP and HLS players" >&2
    "$LOAD" --publish-url "rtmp://127.0.0.1:$N_RTMP/live/bench" --file "$MEDIA" \
        --rtmp-play "rtmp://127.0.0.1:$N_RTMP/live/bench" --rtmp-players 1 \
        --hls-play "http://127.0.0.1:$N_HTTP/live/bench.m3u8" --hls-players 1 \
        --hls-ts-offset-ms 700 \
        --seconds "$SECS" --ramp-ms 0 --settle-ms "$SETTLE" --warmup-ms 4000 \
        --server-pid "$NGINX_PID" --json \
        >"$OUT/nginx.json" 2>"$OUT/nginx-load.log" || die "load tool failed: $(tail -3 "$OUT/nginx-load.log")"
fi

# The table: p50 / p95 ms of arrival and (HLS) playback latency per server and protocol.
{
    echo "Run $START on $(nproc) cores, $(uname -sr); window ${SECS} s after ${SETTLE} ms settle."
    echo
    echo "| server | protocol | frames | arrival p50 / p95 ms | playback p50 / p95 ms | shown late | goal (p95 of playback) |"
    echo "|---|---|---|---|---|---|---|"
    for f in "$OUT/stagecast.json" "$OUT/nginx.json"; do
        [ -s "$f" ] || continue
        server=$(basename "$f" .json)
        jq -r --arg server "$server" '
          def f: if . == null then "-" else (. | round | tostring) end;
          .protocols | to_entries[] | .key as $protocol | .value |
          (if $protocol == "ll-hls" then 2000 elif $protocol == "hls" then 4000 else null end) as $goal |
          (if .playback_latency_ms.samples > 0 then .playback_latency_ms else .latency_ms end) as $seen |
          "| \($server) | \($protocol) | \(.latency_ms.samples) | " +
          "\(.latency_ms.p50 | f) / \(.latency_ms.p95 | f) | " +
          (if .playback_latency_ms.samples > 0
             then "\(.playback_latency_ms.p50 | f) / \(.playback_latency_ms.p95 | f)" else "-" end) +
          " | \(.stalls // 0) | " +
          (if $goal == null then "-"
           elif ($seen.p95 // 1e9) < $goal then "< \($goal / 1000) s: met (p95)"
           else "< \($goal / 1000) s: NOT met (p95 \($seen.p95 | f) ms)" end) + " |"' "$f"
    done
    for kind in ll ll-catchup hls hls-catchup; do
        f=$OUT/browser-$kind.json
        [ -s "$f" ] || continue
        jq -r --arg kind "$kind" '
          def f: if . == null then "-" else (. * 1000 | round | tostring) end;
          (if ($kind | startswith("hls")) then 4 else 2 end) as $goal |
          "| stagecast | \($kind) in hls.js (end to end by date-time) | \(.endToEndSamples) samples, \(.frames) frames, \(.dropped) dropped | - | " +
          "\(.endToEnd | f) / \(.endToEndP95 | f) (\(.latency | f) behind the edge) | - | " +
          (if .endToEndP95 == null then "no figure: \(.errors)"
           elif .endToEndP95 < $goal then "< \($goal) s: met (p95)"
           else "< \($goal) s: NOT met" end) + " |"' "$f"
    done
} | tee "$OUT/results.md"
