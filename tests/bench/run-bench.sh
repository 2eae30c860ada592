#!/usr/bin/env bash
# Media server benchmark: Stagecast (RTMP play, HTTP-FLV play) against nginx with Debian's RTMP
# module (RTMP play), same file, same player counts, same duration, one after the other on this
# machine. NOT a test: CI never runs it. See docs/benchmarks.md.
#
# Usage: tests/bench/run-bench.sh [N ...]          (default: 100 500 1000)
# Environment:
#   BUILD_DIR      where stagecast and stagecast-load were built     (default: build)
#   OUT_DIR        media cache, per-run logs, results.md             (default: build-bench)
#   BENCH_SECONDS  measurement window per run, seconds               (default: 30)
#   BENCH_RAMP_MS  players connect spread over this time             (default: 5000)
#   BENCH_SETTLE_MS wait after the ramp before measuring             (default: 3000)
#   BENCH_THREADS  load tool io threads for players                  (default: 1)
#   BENCH_CASES    any of stagecast-rtmp stagecast-flv nginx-rtmp   (default: all three)
#   BENCH_QUIET_PERCENT, BENCH_QUIET_WAIT  before each case wait up to WAIT s (300) for the
#                  machine to be at most PERCENT % busy (10)
#   BENCH_NICE     niceness of the servers and the load tool (default -10 as root, else 0):
#                  background work on a shared machine then disturbs the run less
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=$(cd "$ROOT" && realpath -m "${BUILD_DIR:-build}")
OUT=$(cd "$ROOT" && realpath -m "${OUT_DIR:-build-bench}")
SECONDS_PER_RUN=${BENCH_SECONDS:-30}
RAMP_MS=${BENCH_RAMP_MS:-5000}
SETTLE_MS=${BENCH_SETTLE_MS:-3000}
THREADS=${BENCH_THREADS:-1}
if [ "$(id -u)" = 0 ]; then NICE=${BENCH_NICE:--10}; else NICE=${BENCH_NICE:-0}; fi
read -r -a CASES <<<"${BENCH_CASES:-stagecast-rtmp stagecast-flv nginx-rtmp}"
COUNTS=("$@")
if [ ${#COUNTS[@]} -eq 0 ]; then
    COUNTS=(100 500 1000)
fi

STAGECAST=$BUILD/app/stagecast
LOAD=$BUILD/tests/bench/loadtool/stagecast-load
NGINX=${NGINX:-/usr/sbin/nginx}
RTMP_MODULE=/usr/lib/nginx/modules/ngx_rtmp_module.so
MEDIA=$OUT/media/testsrc2-720p30-2500k-60s.flv

die() { echo "run-bench: $*" >&2; exit 1; }

for tool in ffmpeg jq python3 "$LOAD"; do
    command -v "$tool" >/dev/null || [ -x "$tool" ] || die "missing $tool"
done
for c in "${CASES[@]}"; do
    case $c in
    stagecast-*) [ -x "$STAGECAST" ] || die "missing $STAGECAST: build first" ;;
    nginx-rtmp)
        [ -x "$NGINX" ] && [ -f "$RTMP_MODULE" ] ||
            die "nginx-rtmp needs: apt-get install nginx-light libnginx-mod-rtmp" ;;
    *) die "unknown case '$c'" ;;
    esac
done

# A thousand players each hold a descriptor in the server and one in the load tool; the
# servers inherit this limit.
ulimit -n "$(ulimit -Hn)"
mkdir -p "$OUT/media" "$OUT/runs"

# The media: 60 s of 1280x720 30 fps test pattern and a sine tone, H.264 CBR 2372 kbit/s
# (x264 veryfast, HRD CBR, a key frame every 2 s) plus AAC 128 kbit/s: 2.5 Mbit/s in FLV.
if [ ! -s "$MEDIA" ]; then
    echo "run-bench: encoding $MEDIA (once; about a minute)" >&2
    ffmpeg -hide_banner -loglevel error -y \
        -f lavfi -i testsrc2=size=1280x720:rate=30 \
        -f lavfi -i sine=frequency=1000:sample_rate=48000 -t 60 \
        -c:v libx264 -preset veryfast -pix_fmt yuv420p \
        -b:v 2372k -minrate 2372k -maxrate 2372k -bufsize 2372k \
        -x264-params nal-hrd=cbr:keyint=60:min-keyint=60:scenecut=0 \
        -c:a aac -b:a 128k -ac 2 -f flv "$MEDIA.tmp"
    mv "$MEDIA.tmp" "$MEDIA"
fi

# Busy fraction (percent) of the whole machine over $1 seconds, from /proc/stat.
machine_busy_percent() {
    local a b
    read -r -a a < <(head -n1 /proc/stat)
    sleep "$1"
    read -r -a b < <(head -n1 /proc/stat)
    local total=0 idle i
    for i in 1 2 3 4 5 6 7 8; do total=$((total + b[i] - a[i])); done
    idle=$((b[4] - a[4] + b[5] - a[5]))
    echo $(((total - idle) * 100 / (total > 0 ? total : 1)))
}

# Other work on the machine (builds, tests) steals the cores the run measures: wait up to
# BENCH_QUIET_WAIT seconds for it to go below BENCH_QUIET_PERCENT busy. The table's "other
# processes CPU-s" column shows how quiet it really was.
wait_quiet() {
    local deadline=$((SECONDS + ${BENCH_QUIET_WAIT:-300})) busy
    while :; do
        busy=$(machine_busy_percent 2)
        [ "$busy" -le "${BENCH_QUIET_PERCENT:-10}" ] && return 0
        if [ $SECONDS -ge $deadline ]; then
            echo "run-bench: machine still ${busy}% busy; measuring anyway" >&2
            return 0
        fi
        echo "run-bench: machine ${busy}% busy, waiting for it to calm down" >&2
        sleep 3
    done
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

SERVER_PID=""
stop_server() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 50); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}
trap stop_server EXIT

# Starts stagecast in $1 for $2 players; sets SERVER_PID, RTMP_PORT, HTTP_PORT.
start_stagecast() {
    local dir=$1 players=$2
    rm -rf "$dir" && mkdir -p "$dir/data"
    # Publish auth off (the load tool publishes an unsigned URL); every player comes from
    # 127.0.0.1, so the per-address limit must exceed the player count.
    cat >"$dir/stagecast.toml" <<EOF
[auth]
publish = false
play = false

[limits]
max_connections = $((players + 100))
max_connections_per_ip = $((players + 100))

[log]
level = "warning"
EOF
    nice -n "$NICE" "$STAGECAST" --headless --data-dir "$dir/data" --config "$dir/stagecast.toml" \
        --rtmp-port 0 --http-port 0 >"$dir/server.log" 2>&1 &
    SERVER_PID=$!
    local line=""
    for _ in $(seq 100); do
        line=$(grep -m1 -o 'STAGECAST READY rtmp=[0-9]* http=[0-9]*' "$dir/server.log" || true)
        [ -n "$line" ] && break
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    [ -n "$line" ] || { cat "$dir/server.log" >&2; die "stagecast did not become ready"; }
    RTMP_PORT=$(sed 's/.*rtmp=\([0-9]*\).*/\1/' <<<"$line")
    HTTP_PORT=$(sed 's/.*http=\([0-9]*\).*/\1/' <<<"$line")
}

# Starts nginx-rtmp in $1 for $2 players; sets SERVER_PID, RTMP_PORT.
# One process (master_process off): nginx-rtmp's live module shares a stream only inside
# one worker (more workers need the experimental rtmp_auto_push relay), so one worker is
# how it serves one live stream; with no master the PID we start is the one doing the work,
# so its /proc CPU and RSS are the server's.
start_nginx() {
    local dir=$1 players=$2
    rm -rf "$dir" && mkdir -p "$dir/logs"
    RTMP_PORT=$(free_port)
    cat >"$dir/nginx.conf" <<EOF
load_module $RTMP_MODULE;
daemon off;
master_process off;
worker_processes 1;
worker_rlimit_nofile $(ulimit -Hn);
error_log $dir/logs/error.log warn;
pid $dir/logs/nginx.pid;
events {
    worker_connections $((players + 1000));
}
rtmp {
    server {
        listen 127.0.0.1:$RTMP_PORT;
        chunk_size 4096;
        application live {
            live on;
        }
    }
}
EOF
    nice -n "$NICE" "$NGINX" -p "$dir" -c "$dir/nginx.conf" -e "$dir/logs/error.log" >"$dir/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 100); do
        ss -ltn "sport = :$RTMP_PORT" | grep -q LISTEN && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    cat "$dir/server.log" "$dir/logs/error.log" >&2 || true
    die "nginx did not start"
}

run_case() {
    local case=$1 n=$2
    local dir=$OUT/runs/$case-$n
    local args=()
    wait_quiet
    case $case in
    stagecast-rtmp | stagecast-flv)
        start_stagecast "$dir" "$n"
        args=(--publish-url "rtmp://127.0.0.1:$RTMP_PORT/live/bench")
        if [ "$case" = stagecast-rtmp ]; then
            args+=(--rtmp-play "rtmp://127.0.0.1:$RTMP_PORT/live/bench" --rtmp-players "$n")
        else
            args+=(--flv-play "http://127.0.0.1:$HTTP_PORT/live/bench.flv" --flv-players "$n")
        fi
        ;;
    nginx-rtmp)
        start_nginx "$dir" "$n"
        args=(--publish-url "rtmp://127.0.0.1:$RTMP_PORT/live/bench"
            --rtmp-play "rtmp://127.0.0.1:$RTMP_PORT/live/bench" --rtmp-players "$n")
        ;;
    esac
    echo "run-bench: $case with $n players (server pid $SERVER_PID)" >&2
    local status=0
    nice -n "$NICE" "$LOAD" "${args[@]}" --file "$MEDIA" --seconds "$SECONDS_PER_RUN" --ramp-ms "$RAMP_MS" \
        --settle-ms "$SETTLE_MS" --threads "$THREADS" --server-pid "$SERVER_PID" --json \
        >"$dir/result.json" 2>"$dir/load.log" || status=$?
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "run-bench: $case server exited during the run; see $dir" >&2
    fi
    stop_server
    if [ $status -ne 0 ]; then
        echo "run-bench: load tool failed ($status): $(tail -n 3 "$dir/load.log")" >&2
        echo '{}' >"$dir/result.json"
    fi
    jq -c --arg case "$case" --argjson n "$n" '. + {case: $case, n: $n}' "$dir/result.json" \
        >>"$OUT/results.jsonl"
}

: >"$OUT/results.jsonl"
START=$(date -u +%Y-%m-%dT%H:%M:%SZ)
for n in "${COUNTS[@]}"; do
    for c in "${CASES[@]}"; do
        run_case "$c" "$n"
    done
done

# The table: one row per run, then Stagecast's ratios to nginx-rtmp at the same N.
{
    echo "# Stagecast media server benchmark"
    echo
    echo "Run $START on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 |
        sed 's/^ //')), $(uname -sr); load tool and server share the cores."
    echo "Command: \`tests/bench/run-bench.sh ${COUNTS[*]}\` with BENCH_SECONDS=$SECONDS_PER_RUN" \
        "BENCH_RAMP_MS=$RAMP_MS BENCH_SETTLE_MS=$SETTLE_MS BENCH_THREADS=$THREADS" \
        "BENCH_NICE=$NICE;" \
        "media $(basename "$MEDIA")."
    echo
    echo "| server / play | N | connected | held | Mbit/s per held player | play start p50 / p95 ms | first frame p50 / p95 ms | latency p50 / p95 / p99 / max ms | server CPU-s | GiB delivered | CPU-s per GiB | RSS before MiB | RSS per player KiB | load tool CPU-s | other processes CPU-s |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    jq -r '
      def f(d): if . == null then "-" else (. * pow(10; d) | round / pow(10; d) | tostring) end;
      select(.protocols != null) |
      (.protocols | to_entries[0].value) as $p |
      "| \(.case) | \(.n) | \($p.connected) | \($p.held) | \($p.held_mbps | f(2)) | " +
      "\($p.play_start_ms.p50 | f(0)) / \($p.play_start_ms.p95 | f(0)) | " +
      "\($p.first_frame_ms.p50 | f(0)) / \($p.first_frame_ms.p95 | f(0)) | " +
      "\($p.latency_ms.p50 | f(1)) / \($p.latency_ms.p95 | f(1)) / \($p.latency_ms.p99 | f(1)) / \($p.latency_ms.max | f(1)) | " +
      "\(.server.cpu_seconds | f(2)) | \(.server.gib_delivered | f(2)) | \(.server.cpu_seconds_per_gib | f(2)) | " +
      "\(if .server.rss_before_bytes == null then "-" else (.server.rss_before_bytes / 1048576 | f(1)) end) | " +
      "\(.server.rss_per_player_kib | f(0)) | \(.load_tool.cpu_seconds | f(2)) | " +
      "\(.machine.other_processes_cpu_seconds | f(2)) |"
    ' "$OUT/results.jsonl"
    jq -r 'select(.protocols == null) | "| \(.case) | \(.n) | run failed: see runs/\(.case)-\(.n) |"' \
        "$OUT/results.jsonl"
    problems=$(jq -r 'select(.protocols != null) | . as $r | .protocols | to_entries[] |
        select((.value.errors | length) > 0 or (.value.stuck | length) > 0) |
        "- \($r.case) N=\($r.n): " +
        ([(.value.errors | to_entries[] | "\(.value) failed: \(.key)"),
          (.value.stuck | to_entries[] | "\(.value) stuck at \(.key)")] | join("; "))
    ' "$OUT/results.jsonl")
    echo
    echo "Players that failed or never got to play:"
    echo
    echo "${problems:-- none}"
    echo
    echo "Stagecast relative to nginx-rtmp at the same N (CPU-s per GiB ratio: below 1 is better;"
    echo "latency difference: Stagecast minus nginx, below 0 is better):"
    echo
    echo "| N | play | CPU-s/GiB ratio | latency p50 diff ms | latency p95 diff ms | held (Stagecast / nginx) |"
    echo "|---|---|---|---|---|---|"
    jq -r -s '
      def f(d): if . == null then "-" else (. * pow(10; d) | round / pow(10; d) | tostring) end;
      map(select(.protocols != null)) as $all |
      ($all | map(select(.case == "nginx-rtmp")) | map({key: (.n | tostring), value: .}) | from_entries) as $ng |
      $all[] | select(.case != "nginx-rtmp") | . as $s | $ng[($s.n | tostring)] as $g |
      select($g != null) |
      ($s.protocols | to_entries[0].value) as $sp | ($g.protocols.rtmp) as $gp |
      "| \($s.n) | \($s.case) | " +
      "\(if $s.server.cpu_seconds_per_gib == null or $g.server.cpu_seconds_per_gib == null then "-" else ($s.server.cpu_seconds_per_gib / $g.server.cpu_seconds_per_gib | f(2)) end) | " +
      "\(if $sp.latency_ms.p50 == null or $gp.latency_ms.p50 == null then "-" else ($sp.latency_ms.p50 - $gp.latency_ms.p50 | f(1)) end) | " +
      "\(if $sp.latency_ms.p95 == null or $gp.latency_ms.p95 == null then "-" else ($sp.latency_ms.p95 - $gp.latency_ms.p95 | f(1)) end) | " +
      "\($sp.held) / \($gp.held) |"
    ' "$OUT/results.jsonl"
    echo
    echo "Per-run logs, server logs and JSON: $OUT/runs/."
} | tee "$OUT/results.md"
