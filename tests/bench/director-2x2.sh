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
# Environment: see lib-studio.sh (BUILD_DIR, BENCH_SECONDS, BENCH_SETTLE, STAGECAST_BIN,
# DIRECTOR_CANVAS); INPUT_SIZE of the four publishes (640x360). For the cost breakdown
# (docs/benchmarks.md): LAYOUT, the body of the preview request taken to program (default the
# 2x2 of the four inputs; "none" = no cut, the program stays the empty scene); BENCH_PEER=0
# skips the ffmpeg phase (then the director's CPU is the whole studio's, ingest included).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib-studio.sh"
INPUT_SIZE=${INPUT_SIZE:-640x360}
LAYOUT=${LAYOUT:-'{"layout":"2x2","slots":["live/red","live/green","live/blue","live/yellow"]}'}
BENCH_PEER=${BENCH_PEER:-1}

publish_four() {
    publish red red 440 "$INPUT_SIZE" 500
    publish green lime 550 "$INPUT_SIZE" 500
    publish blue blue 660 "$INPUT_SIZE" 500
    publish yellow yellow 770 "$INPUT_SIZE" 500
}

peer_phase() {
    echo "== ffmpeg composition (peer)"
    start_studio peer
    BASE_PID=$STUDIO_PID
    publish_four
    sleep 3
    PEER_URL=$(signed_url ffprogram)
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
    wait_progress "$WORK/peer.progress"
    sleep "$SETTLE"
    p0=$(ticks "$PEER_PID"); s0=$(ticks "$BASE_PID")
    f0=$(progress_value "$WORK/peer.progress" frame); q0=$(progress_value "$WORK/peer.progress" drop_frames)
    sleep "$SECS"
    p1=$(ticks "$PEER_PID"); s1=$(ticks "$BASE_PID")
    f1=$(progress_value "$WORK/peer.progress" frame); q1=$(progress_value "$WORK/peer.progress" drop_frames)
    PEER_CPU=$(cores "$p0" "$p1")
    BASE_CPU=$(cores "$s0" "$s1")
    PEER_FPS=$(echo "($f1 - $f0) / $SECS" | bc -l)
    PEER_DROPS=$((q1 - q0))
    stop_all
}
if [ "$BENCH_PEER" = 0 ]; then
    PEER_CPU=0 BASE_CPU=0 PEER_FPS=30 PEER_DROPS=0
else
    peer_phase
fi

echo "== director"
start_studio director --director
publish_four
sleep 4
if [ "$LAYOUT" != none ]; then
    api -X POST -d "$LAYOUT" "http://127.0.0.1:$HTTP/api/v1/director/preview"
    echo
    api -X POST "http://127.0.0.1:$HTTP/api/v1/director/cut"
    echo
fi
sleep "$SETTLE"
d0=$(ticks "$STUDIO_PID"); g0=$(render_ticks "$STUDIO_PID"); read -r v0 l0 k0 r0 t0 < <(director_counts)
sleep "$SECS"
d1=$(ticks "$STUDIO_PID"); g1=$(render_ticks "$STUDIO_PID"); read -r v1 l1 k1 r1 t1 < <(director_counts)
STUDIO_CPU=$(cores "$d0" "$d1")
DIRECTOR_CPU=$(echo "$STUDIO_CPU - $BASE_CPU" | bc -l)
DIRECTOR_FPS=$(echo "($v1 - $v0) / ($t1 - $t0)" | bc -l)
RENDERED=$(((r1 - r0) - (l1 - l0)))

[ "$BENCH_PEER" = 0 ] || printf '\npeer command: %s\n' "$(cat "$WORK/peer.cmd")"
printf '\n| case | CPU (cores) | CPU-s per s of program | program frames/s | dropped / lagged / skipped frames |\n|---|---|---|---|---|\n'
printf '| ffmpeg composition | %.3f | %.3f | %.1f | %s dropped |\n' "$PEER_CPU" \
    "$(echo "$PEER_CPU * 30 / $PEER_FPS" | bc -l)" "$PEER_FPS" "$PEER_DROPS"
printf '| director (studio %.3f - studio without director %.3f) | %.3f | %.3f | %.1f | %d lagged, %d skipped of %d canvas frames (%d new pictures, %.1f/s) |\n' \
    "$STUDIO_CPU" "$BASE_CPU" "$DIRECTOR_CPU" "$(echo "$DIRECTOR_CPU * 30 / $DIRECTOR_FPS" | bc -l)" \
    "$DIRECTOR_FPS" $((l1 - l0)) $((k1 - k0)) $((r1 - r0)) "$RENDERED" \
    "$(echo "$RENDERED / ($t1 - $t0)" | bc -l)"
[ "$BENCH_PEER" = 0 ] ||
    printf '| ratio director / ffmpeg | %.2f | | | |\n' "$(echo "$DIRECTOR_CPU / $PEER_CPU" | bc -l)"
printf 'llvmpipe threads: %.3f cores, %.1f ms CPU per new picture\n' \
    "$(cores "$g0" "$g1")" "$(echo "($g1 - $g0) * 1000 / $HZ / $RENDERED" | bc -l)"
printf 'load average: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
