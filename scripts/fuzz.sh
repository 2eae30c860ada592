#!/usr/bin/env bash
# Builds the libFuzzer targets with clang into build-fuzz/ and runs each for N seconds
# (default 20) from its seed corpus, as many at once as there are cores. Longer runs by
# hand: scripts/fuzz.sh 600
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-20}
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DSTAGECAST_FUZZ=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz --parallel "$(nproc)"
mkdir -p build-fuzz/corpus

# One fuzzer: its log in build-fuzz/NAME.log, its findings as build-fuzz/NAME-crash-*.
fuzz_one() {
  local bin=$1 name work
  name=$(basename "$bin")
  work=build-fuzz/corpus/$name
  mkdir -p "$work"
  if ! "$bin" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="build-fuzz/$name-" "$work" "tests/fuzz/corpus/$name" \
      > "build-fuzz/$name.log" 2>&1; then
    echo "fuzz: $name FAILED; see build-fuzz/$name.log"; tail -30 "build-fuzz/$name.log"
    return 1
  fi
  echo "fuzz: $name ran ${SECONDS_EACH}s: $(grep -E "^#[0-9]+.*DONE" "build-fuzz/$name.log" | tail -1)"
}

# As many fuzzers at once as there are cores (each is one process).
status=0
running=0
for bin in build-fuzz/tests/fuzz/fuzz_*; do
  [ -x "$bin" ] || continue
  fuzz_one "$bin" &
  running=$((running + 1))
  if [ "$running" -ge "$(nproc)" ]; then
    wait -n || status=1
    running=$((running - 1))
  fi
done
while [ "$running" -gt 0 ]; do
  wait -n || status=1
  running=$((running - 1))
done
exit $status
