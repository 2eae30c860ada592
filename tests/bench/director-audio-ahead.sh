#!/bin/bash
# A presenter whose audio runs ahead of its video (ffmpeg -itsoffset on the audio, default
# 0.1 s) is taken to program and then stops: the program must keep flowing. Prints the
# program's video and audio packet counts every 2 s before and after the publisher leaves;
# exits 1 when either count stops growing after it left. Not a test (docs/director.md,
# "Lip sync"). Environment: AUDIO_AHEAD (0.1), and lib-studio.sh's (BUILD_DIR, STAGECAST_BIN).
set -euo pipefail
source "$(dirname "$0")/lib-studio.sh"

start_studio ahead --director
url=$(signed_url red)
ffmpeg -hide_banner -loglevel error -re -f lavfi -i "color=c=red:size=320x240:rate=30" \
    -itsoffset "${AUDIO_AHEAD:-0.1}" -f lavfi -i "sine=frequency=440:sample_rate=48000" -t 600 \
    -c:v libx264 -preset ultrafast -tune zerolatency -pix_fmt yuv420p -g 30 -c:a aac -ar 48000 \
    -ac 2 -f flv "$url" >"$WORK/pub.log" 2>&1 &
PUBLISHER=$!
PIDS+=("$PUBLISHER")
sleep 5
api -X POST -d '{"input":"live/red"}' "http://127.0.0.1:$HTTP/api/v1/director/preview" >/dev/null
api -X POST "http://127.0.0.1:$HTTP/api/v1/director/cut"
echo
sleep 4
packets() { echo "$(figure output.video_packets) $(figure output.audio_packets)"; }
echo "on program: $(packets)"
kill "$PUBLISHER"
previous=$(packets)
echo "publisher stopped: $previous"
for i in 1 2 3 4; do
    sleep 2
    now=$(packets)
    echo "+$((i * 2)) s: $now"
    if [ "${now% *}" -le "${previous% *}" ] || [ "${now#* }" -le "${previous#* }" ]; then
        echo "the program stopped after the publisher left"
        exit 1
    fi
    previous=$now
done
echo "the program kept flowing"
