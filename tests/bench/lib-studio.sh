# Shared setup of the director benchmarks (director-cpu.sh, director-2x2.sh): a headless studio
# under xvfb-run, signed ffmpeg publishes into it, the API, CPU ticks, cleanup. Sourced, not run.
#
# Sets ROOT BUILD STAGECAST SECS SETTLE HZ WORK PIDS and an EXIT trap that ends every process
# in PIDS. Environment: BUILD_DIR (build), BENCH_SECONDS measurement window (20),
# BENCH_SETTLE (5), STAGECAST_BIN (a stagecast binary to measure instead of BUILD_DIR's, for A/B
# runs of two builds), DIRECTOR_CANVAS (WIDTHxHEIGHT of the director's canvas; unset = the
# default 1280x720), STUDIO_PRELOAD (a library LD_PRELOADed into the studio only, e.g. the
# experiment shim tests/bench/obs-exp-shim.c).

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=$(cd "$ROOT" && realpath -m "${BUILD_DIR:-build}")
STAGECAST=${STAGECAST_BIN:-$BUILD/app/stagecast}
SECS=${BENCH_SECONDS:-20}
SETTLE=${BENCH_SETTLE:-5}
HZ=$(getconf CLK_TCK)
WORK=$(mktemp -d)
PIDS=()

cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    sleep 1
    rm -rf "$WORK"
}
trap cleanup EXIT

# stop_all: ends every process started so far (between the peer and the director phase).
stop_all() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    PIDS=()
    sleep 2
}

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_studio NAME [ARGS...] (e.g. --director): sets STUDIO_PID, RTMP, HTTP, TOKEN, SIGN_DIR
start_studio() {
    local dir=$WORK/$1
    mkdir -p "$dir"
    # The preview output is off: the peer (ffmpeg) composes and encodes the program only.
    printf '[monitor]\ncontent_probes = false\n[director]\npreview_output = false\n' \
        >"$dir/config.toml"
    if [ -n "${DIRECTOR_CANVAS:-}" ]; then
        printf 'width = %s\nheight = %s\n' "${DIRECTOR_CANVAS%x*}" "${DIRECTOR_CANVAS#*x}" \
            >>"$dir/config.toml"
    fi
    RTMP=$(free_port); HTTP=$(free_port); local srt; srt=$(free_port)
    xvfb-run -a env ${STUDIO_PRELOAD:+LD_PRELOAD=$STUDIO_PRELOAD} "$STAGECAST" --headless --data-dir "$dir" --config "$dir/config.toml" \
        --rtmp-port "$RTMP" --http-port "$HTTP" --srt-port "$srt" "${@:2}" >"$dir/log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 100); do grep -q "STAGECAST READY" "$dir/log" && break; sleep 0.2; done
    STUDIO_PID=""
    for p in $(pgrep -f -- "--data-dir $dir"); do
        [ "$(readlink "/proc/$p/exe")" = "$(realpath "$STAGECAST")" ] && STUDIO_PID=$p
    done
    [ -n "$STUDIO_PID" ] || { echo "studio $1 did not start:"; cat "$dir/log"; exit 1; }
    PIDS+=("$STUDIO_PID")
    TOKEN=$("$STAGECAST" api-token --data-dir "$dir")
    SIGN_DIR=$dir
}

# publish STREAM COLOUR TONE_HZ SIZE KBPS: lavfi colour + sine, x264 ultrafast, AAC, 30 fps
publish() {
    local url
    url=$("$STAGECAST" sign-url --data-dir "$SIGN_DIR" "rtmp://127.0.0.1:$RTMP/live/$1")
    ffmpeg -hide_banner -loglevel error -re -f lavfi -i "color=c=$2:size=$4:rate=30" \
        -f lavfi -i "sine=frequency=$3:sample_rate=48000" -t 600 -c:v libx264 -preset ultrafast \
        -tune zerolatency -pix_fmt yuv420p -g 30 -b:v "$5k" -c:a aac -b:a 128k -ar 48000 -ac 2 \
        -f flv "$url" >"$WORK/pub-$1.log" 2>&1 &
    PIDS+=($!)
}

# signed_url STREAM: a signed publish URL for live/STREAM on the current studio
signed_url() { "$STAGECAST" sign-url --data-dir "$SIGN_DIR" "rtmp://127.0.0.1:$RTMP/live/$1"; }

api() { curl -s -H "Authorization: Bearer $TOKEN" "$@"; }

# figure KEY: one number from GET /api/v1/director, e.g. output.video_packets,
# canvas.lagged_frames
figure() {
    api "http://127.0.0.1:$HTTP/api/v1/director" |
        python3 -c 'import json,sys; d=json.load(sys.stdin); a,b=sys.argv[1].split("."); print(d[a][b])' "$1"
}

# director_counts: "VIDEO_PACKETS LAGGED SKIPPED RENDERED SECONDS" from one GET /api/v1/director
# (SECONDS: a monotonic clock when the answer came), so a window's counts and length match
director_counts() {
    api "http://127.0.0.1:$HTTP/api/v1/director" | python3 -c 'import json,sys,time
d=json.load(sys.stdin); c=d["canvas"]
print(d["output"]["video_packets"], c["lagged_frames"], c["skipped_frames"], c["rendered_frames"], time.monotonic())'
}

# progress_value FILE KEY: the last KEY= value of an ffmpeg -progress file (0 before the first)
progress_value() {
    local v
    v=$({ grep "^$2=" "$1" 2>/dev/null || true; } | tail -1 | cut -d= -f2)
    echo "${v:-0}"
}

# wait_progress FILE: waits (up to 60 s) until ffmpeg reports frames in its -progress FILE
wait_progress() {
    for _ in $(seq 300); do
        [ "$(progress_value "$1" frame)" -gt 0 ] && return 0
        sleep 0.2
    done
    echo "ffmpeg wrote no progress into $1"
    exit 1
}

# cores T0 T1: CPU cores used between two ticks readings over SECS
cores() { echo "($2 - $1) / $HZ / $SECS" | bc -l; }

# render_ticks PID: CPU ticks of Mesa's llvmpipe rasteriser threads in the studio (by thread name;
# they shade every pixel; libobs' graphics thread is not named), so a window's shading CPU can be put
# per rendered frame, which the machine's load moves far less than frames per second
render_ticks() {
    local sum=0 t name rest
    for t in /proc/"$1"/task/*; do
        name=$(cat "$t/comm" 2>/dev/null) || continue
        case $name in
        llvmpipe*)
            rest=$(sed 's/.*) //' "$t/stat" 2>/dev/null) || continue
            sum=$((sum + $(echo "$rest" | awk '{print $12 + $13}')))
            ;;
        esac
    done
    echo "$sum"
}
