#!/usr/bin/env bash
# Configures and builds Stagecast into build/ (or $STAGECAST_BUILD_DIR). Extra arguments go
# to the CMake configure step, e.g. -DSTAGECAST_SANITIZE=address,undefined.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${STAGECAST_BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$BUILD_DIR" --parallel "$(nproc)"
