#!/usr/bin/env bash
# Builds stagecast with AddressSanitizer and UBSan into build-asan/ and drives its director
# through takes, a matte stinger, saved layouts, the T-bar, the multiview, a media input's
# always-in-the-mix audio, thumbnails and input removal, then stops it. Fails when a
# sanitizer reports (leaks are not checked: libobs keeps memory until exit by design).
# Needs Xvfb; about 15-30 min of build on 2 cores the first time. Usage: scripts/sanitize-director.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSTAGECAST_SANITIZE=address,undefined >/dev/null
cmake --build build-asan --target stagecast --parallel "$(nproc)"
BIN=$ROOT/build-asan/app/stagecast
D=$(mktemp -d)
trap 'pkill -TERM -f "data-dir $D" 2>/dev/null || true; rm -rf "$D"' EXIT
ffmpeg -loglevel error -y -f lavfi -i color=green:s=320x240:r=30 -f lavfi \
  -i sine=f=660:sample_rate=48000 -t 3 -c:v libx264 -g 30 -c:a aac "$D/tone.mp4"
ffmpeg -loglevel error -y -f lavfi -i color=c=black:size=160x120:rate=30 -f lavfi \
  -i color=c=white:size=160x120:rate=30 -filter_complex hstack -t 1 -c:v libx264 \
  -pix_fmt yuv420p "$D/matte.mp4"
export ASAN_OPTIONS=detect_leaks=0:halt_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
xvfb-run -a -s "-screen 0 1280x720x24" "$BIN" --headless --director --demo --data-dir "$D" \
  --rtmp-port 0 --http-port 0 --srt-port 0 >"$D/log" 2>&1 &
for _ in $(seq 90); do grep -q "STAGECAST READY" "$D/log" && break; sleep 1; done
read -r RTMP HTTP < <(sed -n 's/.*STAGECAST READY rtmp=\([0-9]*\) http=\([0-9]*\).*/\1 \2/p' "$D/log")
TOKEN=$("$BIN" api-token --data-dir "$D")
U=http://127.0.0.1:$HTTP/api/v1/director
c() { curl -s -m 30 -o /dev/null -w "$1 $2 -> %{http_code}\n" -H "Authorization: Bearer $TOKEN" \
  -X "$1" ${3:+-d "$3"} "$U$2"; }
timeout 120 ffmpeg -loglevel error -re -f lavfi -i color=red:s=320x240:r=30 -f lavfi \
  -i sine=f=440:sample_rate=48000 -c:v libx264 -g 30 -c:a aac -f flv \
  "$("$BIN" sign-url --data-dir "$D" "rtmp://127.0.0.1:$RTMP/live/red")" &
sleep 6
c POST /preview '{"input":"live/red"}'; c POST /cut
c POST /multiview '{"on":true,"width":640,"height":360,"fps":10}'
c POST /inputs "{\"id\":\"media:tone\",\"kind\":\"media\",\"file\":\"$D/tone.mp4\"}"
c POST /audio '{"input":"media:tone","follow_video":false,"volume":0.5}'
c POST /transition "{\"type\":\"stinger\",\"path\":\"$D/matte.mp4\",\"matte\":\"horizontal\"}"
c POST /preview '{"input":"pattern:bars"}'; c POST /auto; sleep 2
c PUT /layouts/grid '{"layout":{"layout":"2x2","slots":["live/red","pattern:bars",null,"media:tone"]},"transition":{"type":"fade","duration_ms":500}}'
c POST /preview '{"name":"grid"}'; c POST /auto; sleep 1
c POST /preview '{"input":"live/red"}'; c POST /tbar '{"position":0.5}'; c POST /tbar '{"position":1}'
c POST /multiview '{"on":true,"fps":15}'
c GET /inputs/pattern:bars/thumbnail.jpg
c POST /audio '{"input":"media:tone","follow_video":true}'
c DELETE /inputs/media:tone
c POST /multiview '{"on":false}'
c GET /capture
c DELETE /layouts/grid
pkill -TERM -f "$BIN --headless --director --demo --data-dir $D"
for _ in $(seq 60); do pgrep -f "data-dir $D" >/dev/null || break; sleep 1; done
if grep -qE "Sanitizer|runtime error" "$D/log"; then
  grep -E -A30 "Sanitizer|runtime error" "$D/log" | head -80
  echo "sanitize-director: a sanitizer reported (above)"; exit 1
fi
grep -q "\[app\] stopped" "$D/log" || { tail -40 "$D/log"; echo "sanitize-director: no clean stop"; exit 1; }
echo "sanitize-director: clean"
