#!/usr/bin/env bash
# One command for a fresh Debian/Ubuntu machine: install what is missing, build, start.
# Extra arguments go to stagecast (e.g. --rtmp-port 1936 --data-dir /tmp/sc).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
bash scripts/build.sh
BUILD_DIR=${STAGECAST_BUILD_DIR:-build}
exec "$BUILD_DIR/app/stagecast" --headless "$@"
