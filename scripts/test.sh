#!/usr/bin/env bash
# One command for a fresh Debian/Ubuntu machine: install what is missing, build with
# warnings as errors, build the libFuzzer targets with clang and run each briefly, then run
# every test (unit and integration, real peers on loopback).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
export STAGECAST_BUILD_DIR=${STAGECAST_BUILD_DIR:-build}
bash scripts/build.sh -DSTAGECAST_WERROR=ON
# The browser players (hls.js, Playwright driving Debian's Chromium) from the npm registry.
if [ ! -d tests/browser/node_modules ] || [ tests/browser/package-lock.json -nt tests/browser/node_modules ]; then
  npm ci --prefix tests/browser --no-audit --no-fund
  touch tests/browser/node_modules
fi
bash scripts/fuzz.sh "${STAGECAST_FUZZ_SECONDS:-20}"
(cd "$STAGECAST_BUILD_DIR" && ctest --output-on-failure --timeout 600)
