#!/usr/bin/env bash
# Transcoder benchmark (issue 5). NOT a test: CI never runs it. See docs/benchmarks.md.
#
# 1. CPU-seconds (user+sys) to make the 720p/480p/360p ladder from a 60 s 1080p30 file
#    published in real time: Stagecast (the studio process's CPU while the file is published,
#    from /proc/PID/stat, minus its idle rate) against one ffmpeg process doing the same
#    ladder (one decode, split, bicubic scale, three libx264 encodes with Stagecast's settings,
#    audio copied) reading the same file with -re (/usr/bin/time).
# 2. Whether a 720p30 source -> 480p + 360p keeps up in real time here (speed, drops).
# 3. Narrowband (capped CRF) against the fixed-bitrate template: bitrate and SSIM of the 720p
#    rendition made with each template's x264 settings from the same 60 s 1080p input.
#
# Usage: tests/bench/transcode/run-transcode-bench.sh
# Environment: BUILD_DIR (build), OUT_DIR (build-bench/transcode), BENCH_SECONDS (60),
#              PRESET (veryfast), BENCH_PARTS (any of: ladder realtime720 narrowband; all),
#              BENCH_READRATE (1 = real time; below 1 both peers read the file at that
#              fraction of real time, for a like-for-like CPU comparison on a machine too busy
#              to transcode in real time, where Stagecast would drop pictures)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
BUILD=$(cd "$ROOT" && realpath -m "${BUILD_DIR:-build}")
OUT=$(cd "$ROOT" && realpath -m "${OUT_DIR:-build-bench/transcode}")
SECS=${BENCH_SECONDS:-60}
PRESET=${PRESET:-veryfast}
PARTS=${BENCH_PARTS:-ladder realtime720 narrowband}
READRATE=${BENCH_READRATE:-1}
if [ "$READRATE" = 1 ]; then PACE=(-re); else PACE=(-readrate "$READRATE"); fi
has_part() { [[ " $PARTS " == *" $1 "* ]]; }
STAGECAST=$BUILD/app/stagecast
RTMP_PORT=19435
HTTP_PORT=18435
SRT_PORT=19436
TICK=$(getconf CLK_TCK)
# Both peers at the same raised priority (as root): other work on a shared machine then
# disturbs the run less (tests/bench/run-bench.sh does the same).
if [ "$(id -u)" = 0 ]; then NICE=${BENCH_NICE:--10}; else NICE=${BENCH_NICE:-0}; fi
mkdir -p "$OUT"
RESULTS=$OUT/results.md
: >"$RESULTS"

say() { echo "$*" | tee -a "$RESULTS"; }

SRC1080=$OUT/testsrc2-1080p30-${SECS}s.flv
SRC720=$OUT/testsrc2-720p30-${SECS}s.flv
if [ ! -s "$SRC1080" ]; then
    ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=1920x1080:rate=30" \
        -f lavfi -i "sine=frequency=1000:sample_rate=48000" -t "$SECS" -c:v libx264 \
        -preset veryfast -g 60 -b:v 6000k -maxrate 6000k -bufsize 12000k -pix_fmt yuv420p \
        -c:a aac -b:a 128k -ac 2 -f flv "$SRC1080"
fi
if [ ! -s "$SRC720" ]; then
    ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=1280x720:rate=30" \
        -f lavfi -i "sine=frequency=1000:sample_rate=48000" -t "$SECS" -c:v libx264 \
        -preset veryfast -g 60 -b:v 3000k -maxrate 3000k -bufsize 6000k -pix_fmt yuv420p \
        -c:a aac -b:a 128k -ac 2 -f flv "$SRC720"
fi

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
ticks_to_s() { awk -v t="$1" -v k="$TICK" 'BEGIN {printf "%.2f", t / k}'; }

# --- Stagecast ------------------------------------------------------------------------------
run_studio() { # $1 = renditions TOML list, $2 = source file, $3 = label
    local data=$OUT/data-$3
    rm -rf "$data" && mkdir -p "$data"
    cat >"$data/config.toml" <<TOML
[transcode]
preset = "$PRESET"
threads = 1

[[transcode.rule]]
pattern = "live/*"
renditions = $1
TOML
    nice -n "$NICE" "$STAGECAST" --headless --data-dir "$data" --config "$data/config.toml" \
        --rtmp-port $RTMP_PORT --http-port $HTTP_PORT --srt-port $SRT_PORT \
        >"$OUT/studio-$3.log" 2>&1 &
    STUDIO=$!
    for _ in $(seq 100); do
        grep -q "READY" "$OUT/studio-$3.log" 2>/dev/null && break
        sleep 0.2
    done
    local token url idle0 idle1 t0 t1
    token=$("$STAGECAST" api-token --data-dir "$data" --config "$data/config.toml")
    url=$("$STAGECAST" sign-url --data-dir "$data" --config "$data/config.toml" \
        "rtmp://127.0.0.1:$RTMP_PORT/live/bench")
    # Idle rate of the studio itself (sampler threads etc.), over 10 s.
    idle0=$(cpu_ticks $STUDIO)
    sleep 10
    idle1=$(cpu_ticks $STUDIO)
    t0=$(cpu_ticks $STUDIO)
    local start=$(date +%s.%N)
    nice -n "$NICE" ffmpeg -hide_banner -loglevel error "${PACE[@]}" -i "$2" -c copy -f flv "$url"
    sleep 3 # renditions flush what x264 still holds
    curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$HTTP_PORT/api/v1/transcodes" \
        >"$OUT/transcodes-$3.json" || true
    t1=$(cpu_ticks $STUDIO)
    local wall=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {print e - s}')
    # Rendition figures are logged when each ends; the API snapshot above is taken just
    # before (the rule's transcode lingers 10 s for a republish).
    grep -E "transcode_(behind|started|skipped)" "$OUT/studio-$3.log" >"$OUT/events-$3.txt" || true
    kill -TERM $STUDIO && wait $STUDIO || true
    STUDIO_CPU=$(ticks_to_s $((t1 - t0)))
    STUDIO_IDLE=$(awk -v i=$((idle1 - idle0)) -v k="$TICK" -v w="$wall" \
        'BEGIN {printf "%.2f", i / k / 10 * w}')
}

if has_part ladder; then
run_studio '["720p", "480p", "360p"]' "$SRC1080" ladder1080
STUDIO_LADDER=$(awk -v a="$STUDIO_CPU" -v b="$STUDIO_IDLE" 'BEGIN {printf "%.2f", a - b}')
BEHIND_1080=$(grep -c transcode_behind "$OUT/events-ladder1080.txt" || true)

# --- ffmpeg: the same ladder in one process --------------------------------------------------
# Stagecast's x264 settings: no scenecut keyframes, IDR every 2 s, one thread per encoder.
X264=(-preset "$PRESET" -threads 1 -x264-params scenecut=0:open-gop=0 -forced-idr 1 -g 121
    -force_key_frames "expr:gte(t,n_forced*2)")
FFMPEG_CMD=(ffmpeg -hide_banner -loglevel error -threads 1 "${PACE[@]}" -i "$SRC1080" -filter_threads 1
    -filter_complex "[0:v]split=3[a][b][c];[a]scale=1280:720:flags=bicubic[v720];[b]scale=854:480:flags=bicubic[v480];[c]scale=640:360:flags=bicubic[v360]"
    -map "[v720]" -map 0:a -c:v libx264 "${X264[@]}" -profile:v high -level 3.1 -b:v 3000k -maxrate 3000k -bufsize 6000k -c:a copy -f null -
    -map "[v480]" -map 0:a -c:v libx264 "${X264[@]}" -profile:v main -level 3.0 -b:v 1200k -maxrate 1200k -bufsize 2400k -c:a copy -f null -
    -map "[v360]" -map 0:a -c:v libx264 "${X264[@]}" -profile:v main -level 3.0 -b:v 700k -maxrate 700k -bufsize 1400k -c:a copy -f null -)
nice -n "$NICE" /usr/bin/time -f "%U %S %e" -o "$OUT/ffmpeg-time.txt" "${FFMPEG_CMD[@]}"
read -r FU FS FE <"$OUT/ffmpeg-time.txt"
FFMPEG_LADDER=$(awk -v u="$FU" -v s="$FS" 'BEGIN {printf "%.2f", u + s}')
fi

# --- 720p source -> 480p + 360p --------------------------------------------------------------
if has_part realtime720; then
run_studio '["480p", "360p"]' "$SRC720" ladder720
STUDIO_720=$(awk -v a="$STUDIO_CPU" -v b="$STUDIO_IDLE" 'BEGIN {printf "%.2f", a - b}')
BEHIND_720=$(grep -c transcode_behind "$OUT/events-ladder720.txt" || true)
fi

say "## Transcoder CPU ($(date -u +%FT%TZ), $(nproc) cores, load before: $(cut -d' ' -f1-3 /proc/loadavg))"
say ""
say "nice $NICE for both peers, input read at ${READRATE}x real time; ffmpeg encodes every picture"
say ""
say "| case | CPU-seconds (user+sys) | per second of media |"
say "|---|---|---|"
[ -n "${STUDIO_LADDER:-}" ] && say "| Stagecast 1080p -> 720p/480p/360p ($SECS s, studio minus its idle rate) | $STUDIO_LADDER | $(awk -v c="$STUDIO_LADDER" -v s="$SECS" 'BEGIN {printf "%.2f", c / s}') |"
[ -n "${FFMPEG_LADDER:-}" ] && say "| ffmpeg one process, same ladder (wall $FE s) | $FFMPEG_LADDER | $(awk -v c="$FFMPEG_LADDER" -v s="$SECS" 'BEGIN {printf "%.2f", c / s}') |"
[ -n "${FFMPEG_LADDER:-}" ] && say "| ratio Stagecast / ffmpeg | $(awk -v a="$STUDIO_LADDER" -v b="$FFMPEG_LADDER" 'BEGIN {printf "%.2f", a / b}') | |"
[ -n "${STUDIO_720:-}" ] && say "| Stagecast 720p -> 480p/360p ($SECS s) | $STUDIO_720 | $(awk -v c="$STUDIO_720" -v s="$SECS" 'BEGIN {printf "%.2f", c / s}') |"
say ""
say "transcode_behind events: 1080p ladder ${BEHIND_1080:--}, 720p ladder ${BEHIND_720:--}"
say "rendition figures (API at the end): see $OUT/transcodes-ladder*.json"
python3 - "$OUT" <<'PY' | tee -a "$RESULTS"
import json, sys
for label in ("ladder1080", "ladder720"):
    try:
        data = json.load(open(f"{sys.argv[1]}/transcodes-{label}.json"))
    except Exception as e:
        print(f"{label}: no API figures ({e})"); continue
    for t in data.get("transcodes", []):
        total = sum(r["encoded_frames"] for r in t["renditions"])
        dropped = sum(r["dropped_frames"] for r in t["renditions"])
        print(f"{label}: {total} pictures encoded, {dropped} dropped, source skips "
              f"{t['source_skips']} (decoded {t['decoded_frames']})")
        for r in t["renditions"]:
            print(f"{label} {r['name']}: encoded {r['encoded_frames']}, dropped {r['dropped_frames']}, "
                  f"speed {r['speed']}, fps {r['fps']}")
PY

# --- narrowband vs fixed (720p rendition settings) -------------------------------------------
if has_part narrowband; then
NB_COMMON=(-hide_banner -loglevel error -y -threads 1 -i "$SRC1080" -vf scale=1280:720:flags=bicubic
    -an -c:v libx264 -preset "$PRESET" -profile:v high -level 3.1 -maxrate 3000k -bufsize 6000k
    -x264-params scenecut=0:open-gop=0 -forced-idr 1 -g 121 -force_key_frames "expr:gte(t,n_forced*2)")
nice -n "$NICE" ffmpeg "${NB_COMMON[@]}" -b:v 3000k "$OUT/fixed720.mp4"
nice -n "$NICE" ffmpeg "${NB_COMMON[@]}" -crf 23 "$OUT/narrow720.mp4"
rate() { ffprobe -v error -select_streams v:0 -show_entries stream=bit_rate -of csv=p=0 "$1"; }
ssim() {
    ffmpeg -hide_banner -nostats -i "$1" -i "$SRC1080" -lavfi \
        "[1:v]scale=1280:720:flags=bicubic[ref];[0:v][ref]ssim" -f null - 2>&1 |
        sed -n 's/.*SSIM.* All:\([0-9.]*\).*/\1/p'
}
say ""
say "| 720p template | video bitrate (kb/s) | SSIM vs the source scaled to 720p |"
say "|---|---|---|"
say "| fixed (3000k, maxrate 3000k, bufsize 6000k) | $(( $(rate "$OUT/fixed720.mp4") / 1000 )) | $(ssim "$OUT/fixed720.mp4") |"
say "| narrowband (crf 23, maxrate 3000k, bufsize 6000k) | $(( $(rate "$OUT/narrow720.mp4") / 1000 )) | $(ssim "$OUT/narrow720.mp4") |"
fi
echo "results: $RESULTS"
