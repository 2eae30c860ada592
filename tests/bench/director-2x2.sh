#!/usr/bin/env bash
# Director 2x2 benchmark (issue 6): a 720p30 program of four hub inputs in the 2x2 layout
# (four ffmpeg publishes, 640x360 at 30 fps, each its own colour and tone), x264 veryfast
# 2500 kbit/s CBR with a 2 s GOP and AAC 160 kbit/s (the program's settings), next to the
# ffmpeg command line doing the same composition (four RTMP decodes, scale + pad, xstack,
# amix, the same x264/AAC settings, published back into the studio) in the same run, one
# after the other. Reports CPU (cores), program frames/s, and for the director libobs'
# lagged (not rendered in time) and skipped (not encoded) frames over the window, from the
# API. NOT a test: CI never runs it. See docs/benchmarks.md ("Director 2x2").
#
# Usage: tests/bench/director-2x2.sh
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
    ffmpeg -hide_banner -loglevel error -re -f lavfi -i "color=c=$2:size=640x360:rate=30" \
        -f lavfi -i "sine=frequency=$3:sample_rate=48000" -t 600 -c:v libx264 -preset ultrafast \
        -tune zerolatency -pix_fmt yuv420p -g 30 -b:v 500k -c:a aac -b:a 128k -ar 48000 -ac 2 \
        -f flv "$url" >"$WORK/pub-$1.log" 2>&1 &
    PIDS+=($!)
}

publish_four() {
    publish red red 440
    publish green lime 550
    publish blue blue 660
    publish yellow yellow 770
}

api() { curl -s -H "Authorization: Bearer $TOKEN" "$@"; }

echo "== ffmpeg composition (peer)"
start_studio peer
BASE_PID=$STUDIO_PID
publish_four
sleep 3
PEER_URL=$("$STAGECAST" sign-url --data-dir "$SIGN_DIR" "rtmp://127.0.0.1:$RTMP/live/ffprogram")
IN=()
for s in red green blue yellow; do IN+=(-i "rtmp://127.0.0.1:$RTMP/live/$s"); done
FIT="scale=640:360:force_original_aspect_ratio=decrease,pad=640:360:(ow-iw)/2:(oh-ih)/2"
PEER_CMD=(ffmpeg -hide_banner -loglevel error "${IN[@]}" -filter_complex
    "[0:v]$FIT[a];[1:v]$FIT[b];[2:v]$FIT[c];[3:v]$FIT[d];[a][b][c][d]xstack=inputs=4:layout=0_0|w0_0|0_h0|w0_h0,fps=30[v];[0:a][1:a][2:a][3:a]amix=inputs=4[au]"
    -map "[v]" -map "[au]" -c:v libx264 -preset veryfast -b:v 2500k -minrate 2500k
    -maxrate 2500k -bufsize 2500k -x264-params nal-hrd=cbr -g 60 -keyint_min 60 -sc_threshold 0
    -pix_fmt yuv420p -c:a aac -b:a 160k -ar 48000 -ac 2 -progress "$WORK/peer.progress"
    -f flv "$PEER_URL")
echo "${PEER_CMD[*]}" | sed "s|$WORK|WORK|g; s|auth_key=[^ ]*|auth_key=...|g" >"$WORK/peer.cmd"
"${PEER_CMD[@]}" >"$WORK/peer.log" 2>&1 &
PEER_PID=$!
PIDS+=("$PEER_PID")
sleep "$SETTLE"
frames() { grep '^frame=' "$WORK/peer.progress" | tail -1 | cut -d= -f2; }
drops() { grep '^drop_frames=' "$WORK/peer.progress" | tail -1 | cut -d= -f2; }
p0=$(ticks "$PEER_PID"); s0=$(ticks "$BASE_PID"); f0=$(frames); q0=$(drops)
sleep "$SECS"
p1=$(ticks "$PEER_PID"); s1=$(ticks "$BASE_PID"); f1=$(frames); q1=$(drops)
PEER_CPU=$(echo "($p1 - $p0) / $HZ / $SECS" | bc -l)
BASE_CPU=$(echo "($s1 - $s0) / $HZ / $SECS" | bc -l)
PEER_FPS=$(echo "($f1 - $f0) / $SECS" | bc -l)
PEER_DROPS=$((q1 - q0))
for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
PIDS=()
sleep 2

echo "== director"
start_studio director --director
publish_four
sleep 4
api -X POST -d '{"layout":"2x2","slots":["live/red","live/green","live/blue","live/yellow"]}' \
    "http://127.0.0.1:$HTTP/api/v1/director/preview"
echo
api -X POST "http://127.0.0.1:$HTTP/api/v1/director/cut"
echo
sleep "$SETTLE"
figure() { # figure KEY: output.video_packets, canvas.lagged_frames, ...
    api "http://127.0.0.1:$HTTP/api/v1/director" |
        python3 -c 'import json,sys; d=json.load(sys.stdin); a,b=sys.argv[1].split("."); print(d[a][b])' "$1"
}
d0=$(ticks "$STUDIO_PID"); v0=$(figure output.video_packets)
l0=$(figure canvas.lagged_frames); k0=$(figure canvas.skipped_frames); r0=$(figure canvas.rendered_frames)
sleep "$SECS"
d1=$(ticks "$STUDIO_PID"); v1=$(figure output.video_packets)
l1=$(figure canvas.lagged_frames); k1=$(figure canvas.skipped_frames); r1=$(figure canvas.rendered_frames)
STUDIO_CPU=$(echo "($d1 - $d0) / $HZ / $SECS" | bc -l)
DIRECTOR_CPU=$(echo "$STUDIO_CPU - $BASE_CPU" | bc -l)
DIRECTOR_FPS=$(echo "($v1 - $v0) / $SECS" | bc -l)

printf '\npeer command: %s\n' "$(cat "$WORK/peer.cmd")"
printf '\n| case | CPU (cores) | CPU-s per s of program | program frames/s | dropped / lagged / skipped frames |\n|---|---|---|---|---|\n'
printf '| ffmpeg composition | %.3f | %.3f | %.1f | %s dropped |\n' "$PEER_CPU" \
    "$(echo "$PEER_CPU * 30 / $PEER_FPS" | bc -l)" "$PEER_FPS" "$PEER_DROPS"
printf '| director (studio %.3f - studio without director %.3f) | %.3f | %.3f | %.1f | %d lagged, %d skipped of %d rendered |\n' \
    "$STUDIO_CPU" "$BASE_CPU" "$DIRECTOR_CPU" "$(echo "$DIRECTOR_CPU * 30 / $DIRECTOR_FPS" | bc -l)" \
    "$DIRECTOR_FPS" $((l1 - l0)) $((k1 - k0)) $((r1 - r0))
printf '| ratio director / ffmpeg | %.2f | | | |\n' "$(echo "$DIRECTOR_CPU / $PEER_CPU" | bc -l)"
printf 'load average: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
