#!/usr/bin/env bash
# Director CPU benchmark: what the director costs to composite, mix and encode a 720p30
# program (picture-in-picture of two 320x240 hub inputs, x264 veryfast 2500 kbit/s CBR with a
# 2 s GOP, AAC 160 kbit/s), next to the ffmpeg command line doing the same composition (two
# RTMP decodes, scale + pad + overlay, amix, the same x264/AAC settings, published back into
# the studio) in the same run, one after the other. NOT a test: CI never runs it.
# See docs/benchmarks.md ("Director").
#
# Usage: tests/bench/director-cpu.sh
# Environment: see lib-studio.sh (BUILD_DIR, BENCH_SECONDS, BENCH_SETTLE, STAGECAST_BIN)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib-studio.sh"

echo "== ffmpeg composition (peer)"
start_studio peer
BASE_PID=$STUDIO_PID
publish red red 440 320x240 300
publish blue blue 880 320x240 300
sleep 3
PEER_URL=$(signed_url ffprogram)
ffmpeg -hide_banner -loglevel error -i "rtmp://127.0.0.1:$RTMP/live/red" \
    -i "rtmp://127.0.0.1:$RTMP/live/blue" -filter_complex \
    "[0:v]scale=-2:720,pad=1280:720:(ow-iw)/2:0[bg];[1:v]scale=-2:216[in];[bg][in]overlay=912:32,fps=30[v];[0:a][1:a]amix=inputs=2[a]" \
    -map "[v]" -map "[a]" -c:v libx264 -preset veryfast -b:v 2500k -minrate 2500k -maxrate 2500k \
    -bufsize 2500k -x264-params nal-hrd=cbr -g 60 -keyint_min 60 -sc_threshold 0 -pix_fmt yuv420p \
    -c:a aac -b:a 160k -ar 48000 -ac 2 -progress "$WORK/peer.progress" -f flv "$PEER_URL" \
    >"$WORK/peer.log" 2>&1 &
PEER_PID=$!
PIDS+=("$PEER_PID")
wait_progress "$WORK/peer.progress"
sleep "$SETTLE"
p0=$(ticks "$PEER_PID"); s0=$(ticks "$BASE_PID"); f0=$(progress_value "$WORK/peer.progress" frame)
sleep "$SECS"
p1=$(ticks "$PEER_PID"); s1=$(ticks "$BASE_PID"); f1=$(progress_value "$WORK/peer.progress" frame)
PEER_CPU=$(cores "$p0" "$p1")
BASE_CPU=$(cores "$s0" "$s1")
PEER_FPS=$(echo "($f1 - $f0) / $SECS" | bc -l)
stop_all

echo "== director"
start_studio director --director
publish red red 440 320x240 300
publish blue blue 880 320x240 300
sleep 3
api -X POST -d '{"layout":"pip","main":"live/red","inset":"live/blue","corner":"top-right","size":0.3}' \
    "http://127.0.0.1:$HTTP/api/v1/director/preview" >/dev/null
api -X POST "http://127.0.0.1:$HTTP/api/v1/director/cut" >/dev/null
sleep "$SETTLE"
d0=$(ticks "$STUDIO_PID"); v0=$(figure output.video_packets)
sleep "$SECS"
d1=$(ticks "$STUDIO_PID"); v1=$(figure output.video_packets)
STUDIO_CPU=$(cores "$d0" "$d1")
DIRECTOR_CPU=$(echo "$STUDIO_CPU - $BASE_CPU" | bc -l)
DIRECTOR_FPS=$(echo "($v1 - $v0) / $SECS" | bc -l)

printf '\n| case | CPU (cores) | program frames/s |\n|---|---|---|\n'
printf '| ffmpeg composition | %.3f | %.1f |\n' "$PEER_CPU" "$PEER_FPS"
printf '| director (studio %.3f - studio without director %.3f) | %.3f | %.1f |\n' \
    "$STUDIO_CPU" "$BASE_CPU" "$DIRECTOR_CPU" "$DIRECTOR_FPS"
printf '| ratio director / ffmpeg | %.2f | |\n' "$(echo "$DIRECTOR_CPU / $PEER_CPU" | bc -l)"
printf 'load average: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
