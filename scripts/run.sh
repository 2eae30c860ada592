#!/usr/bin/env bash
# One command for a fresh Debian/Ubuntu machine: install what is missing, build, start the
# studio. On a first start (no scene collection saved yet) the director builds a demo scene
# of test sources (colour bars, a clock, a lower third) and publishes it as live/program.
# With a display (DISPLAY or WAYLAND_DISPLAY) the studio opens its operator window; without
# one it runs headless with the director on a private Xvfb display that lives as long as it. Extra arguments go to stagecast
# (e.g. --rtmp-port 1936 --data-dir /tmp/sc).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
bash scripts/build.sh
BUILD_DIR=${STAGECAST_BUILD_DIR:-build}
BIN="$BUILD_DIR/app/stagecast"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec "$BIN" --demo "$@" # the studio with its operator window
fi
if ! command -v Xvfb >/dev/null 2>&1; then
  echo "run.sh: no display and no Xvfb: starting the server without the director" >&2
  exec "$BIN" --headless "$@"
fi

# A private X display: Xvfb picks a free number and writes it to fd 3 once it is ready.
displayfile=$(mktemp)
Xvfb -displayfd 3 -nolisten tcp -screen 0 1280x720x24 3>"$displayfile" 2>/dev/null &
xvfb=$!
for _ in $(seq 100); do
  [ -s "$displayfile" ] && break
  kill -0 "$xvfb" 2>/dev/null || break
  sleep 0.1
done
if [ ! -s "$displayfile" ]; then
  rm -f "$displayfile"
  echo "run.sh: Xvfb did not start: starting the server without the director" >&2
  exec "$BIN" --headless "$@"
fi
export DISPLAY=":$(head -n1 "$displayfile")"
rm -f "$displayfile"

# SIGTERM/SIGINT to this script stop the studio (its exit code is ours), then the display.
"$BIN" --headless --director --demo "$@" &
studio=$!
interrupted=0
trap 'interrupted=1; kill -TERM "$studio" 2>/dev/null' TERM INT
while :; do
  interrupted=0
  wait "$studio" && status=0 || status=$?
  # A trapped signal ends `wait` early: wait again for the studio's own exit code.
  [ "$interrupted" = 1 ] || break
done
kill "$xvfb" 2>/dev/null || true
wait "$xvfb" 2>/dev/null || true
exit "$status"
