#!/usr/bin/env bash
# HLS serving benchmark: requests per second for the live playlist and for one 2 s MPEG-TS
# segment, served by Stagecast (from memory) and by nginx (nginx-rtmp's HLS files, served by
# nginx's static file handler with sendfile), the same source pushed to both, in one run.
# Each server gets one worker thread (Stagecast io_threads = 1, nginx worker_processes 1); the
# load is wrk with one thread and BENCH_CONNECTIONS keep-alive connections. NOT a test: CI
# never runs it. See docs/benchmarks.md.
#
# Usage: tests/bench/hls/run-hls-bench.sh
# Environment: BUILD_DIR (build), OUT_DIR (build-bench), BENCH_SECONDS (15 per case),
#              BENCH_CONNECTIONS (32), BENCH_ROUNDS (3: cases alternate, the median is kept)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
BUILD=$(cd "$ROOT" && realpath -m "${BUILD_DIR:-build}")
OUT=$(cd "$ROOT" && realpath -m "${OUT_DIR:-build-bench}")/hls
SECS=${BENCH_SECONDS:-15}
CONNS=${BENCH_CONNECTIONS:-32}
ROUNDS=${BENCH_ROUNDS:-3}
STAGECAST=$BUILD/app/stagecast
NGINX=/usr/sbin/nginx
RTMP_MODULE=/usr/lib/nginx/modules/ngx_rtmp_module.so

die() { echo "run-hls-bench: $*" >&2; exit 1; }

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v curl >/dev/null || need+=(curl)
[ -x "$NGINX" ] && [ -f "$RTMP_MODULE" ] || need+=(nginx-light libnginx-mod-rtmp)
if [ ${#need[@]} -gt 0 ]; then
    echo "run-hls-bench: installing ${need[*]}" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
[ -x "$STAGECAST" ] || die "missing $STAGECAST: build first (bash scripts/build.sh)"

rm -rf "$OUT"
mkdir -p "$OUT/studio" "$OUT/nginx/logs" "$OUT/nginx/hls"
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# Stagecast: HLS always on, 2 s segments, a 60 s window so one segment stays for the run.
S_RTMP=$(free_port); S_HTTP=$(free_port)
cat >"$OUT/studio/config.toml" <<CONF
[server]
io_threads = 1
[auth]
publish = false
[hls]
mode = "always"
segment_ms = 2000
window_segments = 30
low_latency = false
[monitor]
content_probes = false
CONF
"$STAGECAST" --headless --data-dir "$OUT/studio" --config "$OUT/studio/config.toml" \
    --rtmp-port "$S_RTMP" --http-port "$S_HTTP" --srt-port 0 >"$OUT/studio.log" 2>&1 &
PIDS+=($!); STUDIO_PID=$!

# nginx: nginx-rtmp writes HLS (2 s fragments, 60 s playlist), nginx's http module serves it.
N_RTMP=$(free_port); N_HTTP=$(free_port)
cat >"$OUT/nginx/nginx.conf" <<CONF
load_module $RTMP_MODULE;
worker_processes 1;
daemon off;
master_process off;
pid $OUT/nginx/logs/nginx.pid;
error_log $OUT/nginx/logs/error.log warn;
events { worker_connections 4096; }
rtmp {
    server {
        listen 127.0.0.1:$N_RTMP;
        application live {
            live on;
            hls on;
            hls_path $OUT/nginx/hls;
            hls_fragment 2s;
            hls_playlist_length 60s;
        }
    }
}
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
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
grep -q "STAGECAST READY" "$OUT/studio.log" || { sleep 2; grep -q "STAGECAST READY" "$OUT/studio.log" || die "stagecast did not start: $(tail -5 "$OUT/studio.log")"; }

# The same source to both: 720p30 testsrc2, 2.5 Mbit/s, a keyframe every 2 s.
MEDIA=$OUT/source.flv
ffmpeg -hide_banner -loglevel error -y -f lavfi -i testsrc2=size=1280x720:rate=30 \
    -f lavfi -i sine=frequency=1000:sample_rate=48000 -t 20 -c:v libx264 -preset veryfast \
    -pix_fmt yuv420p -b:v 2372k -maxrate 2372k -bufsize 2372k \
    -x264-params keyint=60:min-keyint=60:scenecut=0 -c:a aac -b:a 128k -f flv "$MEDIA"
for target in "rtmp://127.0.0.1:$S_RTMP/live/bench" "rtmp://127.0.0.1:$N_RTMP/live/bench"; do
    ffmpeg -hide_banner -loglevel error -re -stream_loop -1 -i "$MEDIA" -c copy -f flv "$target" \
        >>"$OUT/publish.log" 2>&1 &
    PIDS+=($!)
done
echo "run-hls-bench: publishing; waiting 16 s for segments" >&2
sleep 16

# Stagecast answers the first playlist request with a redirect to its viewer-session URL.
S_PLAYLIST=$(curl -s -o /dev/null -w '%{redirect_url}' "http://127.0.0.1:$S_HTTP/live/bench.m3u8")
[ -n "$S_PLAYLIST" ] || die "no Stagecast playlist"
N_PLAYLIST="http://127.0.0.1:$N_HTTP/live/bench.m3u8"
# The newest complete segment of each server (the last one listed may still be growing on
# nginx's side); picked again before every segment case so it is well inside the window.
pick_segments() {
    local s n
    s=$(curl -s "$S_PLAYLIST" | grep -v '^#' | tail -n 2 | head -n 1)
    case $s in http*) S_SEGMENT=$s ;; /*) S_SEGMENT="http://127.0.0.1:$S_HTTP$s" ;; *) S_SEGMENT="${S_PLAYLIST%/*}/$s" ;; esac
    n=$(curl -s "$N_PLAYLIST" | grep -v '^#' | tail -n 2 | head -n 1)
    N_SEGMENT="http://127.0.0.1:$N_HTTP/live/$n"
    for u in "$S_PLAYLIST" "$S_SEGMENT" "$N_PLAYLIST" "$N_SEGMENT"; do
        code=$(curl -s -o /dev/null -w '%{http_code}' "$u")
        [ "$code" = 200 ] || die "$u answers $code"
    done
}
pick_segments
S_BYTES=$(curl -s "$S_SEGMENT" | wc -c)
N_BYTES=$(curl -s "$N_SEGMENT" | wc -c)
echo "run-hls-bench: Stagecast segment $S_BYTES bytes, nginx segment $N_BYTES bytes" >&2

# wrk's "Requests/sec", and the requests served per CPU second the server process used
# meanwhile (all its threads, user + system, from /proc/PID/stat): on a shared machine the
# second is the one that other load does not move. A run with any non-2xx answer (a segment
# gone from the window) is refused rather than counted.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rate() {
    local out before after
    before=$(cpu_ticks "$2")
    out=$(wrk -t1 -c"$CONNS" -d"${SECS}s" --latency "$1")
    after=$(cpu_ticks "$2")
    echo "$out" >>"$OUT/wrk.log"
    if echo "$out" | grep -q "Non-2xx"; then
        die "non-2xx answers from $1: $(echo "$out" | grep Non-2xx)"
    fi
    local rps total
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    total=$(echo "$out" | awk '/requests in/ {print $1}')
    echo "$rps $(python3 -c "print(round($total / max(1, $after - $before) * $(getconf CLK_TCK)))")"
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -A RESULTS PERCPU
for round in $(seq "$ROUNDS"); do
    for case in stagecast-playlist nginx-playlist stagecast-segment nginx-segment; do
        case $case in
        stagecast-playlist) url=$S_PLAYLIST pid=$STUDIO_PID ;;
        nginx-playlist) url=$N_PLAYLIST pid=$NGINX_PID ;;
        stagecast-segment) pick_segments; url=$S_SEGMENT pid=$STUDIO_PID ;;
        nginx-segment) url=$N_SEGMENT pid=$NGINX_PID ;;
        esac
        echo "== round $round $case $url" >>"$OUT/wrk.log"
        rc=$(rate "$url" "$pid")
        read -r r c <<<"$rc"
        echo "run-hls-bench: round $round $case: $r req/s, $c requests per CPU second" >&2
        RESULTS[$case]="${RESULTS[$case]:-} $r"
        PERCPU[$case]="${PERCPU[$case]:-} $c"
    done
done

{
    echo "| case | requests/s (median of $ROUNDS) | runs | requests per server CPU second (median) | runs |"
    echo "|---|---|---|---|---|"
    for case in stagecast-playlist nginx-playlist stagecast-segment nginx-segment; do
        # shellcheck disable=SC2086
        echo "| $case | $(median ${RESULTS[$case]}) | ${RESULTS[$case]} | $(median ${PERCPU[$case]}) | ${PERCPU[$case]} |"
    done
    ratio() {
        # shellcheck disable=SC2086
        python3 -c "print(f'{$(median $1) / $(median $2):.2f}')"
    }
    echo
    echo "Stagecast / nginx, requests/s: playlist $(ratio "${RESULTS[stagecast-playlist]}" "${RESULTS[nginx-playlist]}"), segment $(ratio "${RESULTS[stagecast-segment]}" "${RESULTS[nginx-segment]}") (segment sizes: Stagecast $S_BYTES B, nginx $N_BYTES B)"
    echo "Stagecast / nginx, requests per CPU second: playlist $(ratio "${PERCPU[stagecast-playlist]}" "${PERCPU[nginx-playlist]}"), segment $(ratio "${PERCPU[stagecast-segment]}" "${PERCPU[nginx-segment]}")"
    echo "Load: $(uptime)"
} | tee "$OUT/results.md"
