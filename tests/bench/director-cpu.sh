#!/usr/bin/env bash
# Director CPU benchmark: what the director costs to composite, mix and encode a 720p30
# program (picture-in-picture of two 320x240 hub inputs, x264 veryfast 2500 kbit/s CBR with a
# 2 s GOP, AAC 160 kbit/s), next to the ffmpeg command line doing the same composition (two
# RTMP decodes, scale + pad + overlay, amix, the same x264/AAC settings, published back into
# the studio) in the same run, one after the other. NOT a test: CI never runs it.
# See docs/benchmarks.md ("Director").
#
# Usage: tests/bench/director-cpu.sh
# Environment: BUILD_DIR (build), BENCH_SECONDS measurement window (20), BENCH_SETTLE (5)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=$(cd "$ROOT" && realpath -m "${BUILD_DIR:-build}")
STAGECAST=$BUILD/app/stagecast
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

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_studio NAME [--director]: sets STUDIO_PID, RTMP, HTTP, TOKEN
start_studio() {
    local dir=$WORK/$1
    mkdir -p "$dir"
    # The preview output is off: the peer (ffmpeg) composes and encodes the program only.
    printf '[monitor]\ncontent_probes = false\n[director]\npreview_output = false\n' \
        >"$dir/config.toml"
    RTMP=$(free_port); HTTP=$(free_port); local srt; srt=$(free_port)
    xvfb-run -a "$STAGECAST" --headless --data-dir "$dir" --config "$dir/config.toml" \
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

publish() { # publish STREAM COLOUR HZ
    local url
    url=$("$STAGECAST" sign-url --data-dir "$SIGN_DIR" "rtmp://127.0.0.1:$RTMP/live/$1")
    ffmpeg -hide_banner -loglevel error -re -f lavfi -i "color=c=$2:size=320x240:rate=30" \
        -f lavfi -i "sine=frequency=$3:sample_rate=48000" -t 600 -c:v libx264 -preset ultrafast \
        -tune zerolatency -pix_fmt yuv420p -g 30 -b:v 300k -c:a aac -b:a 128k -ar 48000 -ac 2 \
        -f flv "$url" >"$WORK/pub-$1.log" 2>&1 &
    PIDS+=($!)
}

api() { curl -s -H "Authorization: Bearer $TOKEN" "$@"; }

echo "== ffmpeg composition (peer)"
start_studio peer
BASE_PID=$STUDIO_PID
publish red red 440
publish blue blue 880
sleep 3
PEER_URL=$("$STAGECAST" sign-url --data-dir "$SIGN_DIR" "rtmp://127.0.0.1:$RTMP/live/ffprogram")
ffmpeg -hide_banner -loglevel error -i "rtmp://127.0.0.1:$RTMP/live/red" \
    -i "rtmp://127.0.0.1:$RTMP/live/blue" -filter_complex \
    "[0:v]scale=-2:720,pad=1280:720:(ow-iw)/2:0[bg];[1:v]scale=-2:216[in];[bg][in]overlay=912:32,fps=30[v];[0:a][1:a]amix=inputs=2[a]" \
    -map "[v]" -map "[a]" -c:v libx264 -preset veryfast -b:v 2500k -minrate 2500k -maxrate 2500k \
    -bufsize 2500k -x264-params nal-hrd=cbr -g 60 -keyint_min 60 -sc_threshold 0 -pix_fmt yuv420p \
    -c:a aac -b:a 160k -ar 48000 -ac 2 -progress "$WORK/peer.progress" -f flv "$PEER_URL" \
    >"$WORK/peer.log" 2>&1 &
PEER_PID=$!
PIDS+=("$PEER_PID")
sleep "$SETTLE"
frames() { grep '^frame=' "$WORK/peer.progress" | tail -1 | cut -d= -f2; }
p0=$(ticks "$PEER_PID"); s0=$(ticks "$BASE_PID"); f0=$(frames)
sleep "$SECS"
p1=$(ticks "$PEER_PID"); s1=$(ticks "$BASE_PID"); f1=$(frames)
PEER_CPU=$(echo "($p1 - $p0) / $HZ / $SECS" | bc -l)
BASE_CPU=$(echo "($s1 - $s0) / $HZ / $SECS" | bc -l)
PEER_FPS=$(echo "($f1 - $f0) / $SECS" | bc -l)
for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
PIDS=()
sleep 2

echo "== director"
start_studio director --director
publish red red 440
publish blue blue 880
sleep 3
api -X POST -d '{"layout":"pip","main":"live/red","inset":"live/blue","corner":"top-right","size":0.3}' \
    "http://127.0.0.1:$HTTP/api/v1/director/preview" >/dev/null
api -X POST "http://127.0.0.1:$HTTP/api/v1/director/cut" >/dev/null
sleep "$SETTLE"
packets() { api "http://127.0.0.1:$HTTP/api/v1/director" | python3 -c 'import json,sys; print(json.load(sys.stdin)["output"]["video_packets"])'; }
d0=$(ticks "$STUDIO_PID"); v0=$(packets)
sleep "$SECS"
d1=$(ticks "$STUDIO_PID"); v1=$(packets)
STUDIO_CPU=$(echo "($d1 - $d0) / $HZ / $SECS" | bc -l)
DIRECTOR_CPU=$(echo "$STUDIO_CPU - $BASE_CPU" | bc -l)
DIRECTOR_FPS=$(echo "($v1 - $v0) / $SECS" | bc -l)

printf '\n| case | CPU (cores) | program frames/s |\n|---|---|---|\n'
printf '| ffmpeg composition | %.3f | %.1f |\n' "$PEER_CPU" "$PEER_FPS"
printf '| director (studio %.3f - studio without director %.3f) | %.3f | %.1f |\n' \
    "$STUDIO_CPU" "$BASE_CPU" "$DIRECTOR_CPU" "$DIRECTOR_FPS"
printf '| ratio director / ffmpeg | %.2f | |\n' "$(echo "$DIRECTOR_CPU / $PEER_CPU" | bc -l)"
printf 'load average: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
