#!/usr/bin/env bash
# Installs what Stagecast needs to build, run and test on Debian 12 / Ubuntu 22.04+.
# Idempotent: installs only what is missing, and refreshes the package lists first then.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config clang libclang-rt-14-dev clang-format
  # libraries
  qt6-base-dev qt6-base-dev-tools libboost-dev libssl-dev nlohmann-json3-dev libsrt-gnutls-dev
  libexpected-dev libtomlplusplus-dev libcli11-dev
  libsqlite3-dev libutf8proc-dev libpcre2-dev libebur128-dev
  libavcodec-dev libavformat-dev libavfilter-dev libavutil-dev libswscale-dev libswresample-dev
  # the director: libobs and the OBS modules, X11 or Wayland for its EGL display, Xvfb + Mesa to
  # run headless, a headless Weston to test Wayland
  libobs-dev obs-studio libx11-dev libwayland-dev xvfb xauth libgl1-mesa-dri libegl-mesa0 weston
  # test peers
  ffmpeg nginx-light libnginx-mod-rtmp libnginx-mod-stream openssl chromium
  # a private PulseAudio server: microphone and desktop-audio capture tested with real audio
  pulseaudio pulseaudio-utils
)
# Node.js and npm run the browser tests (Playwright, hls.js); a machine that already has
# them (any version >= 18) keeps its own.
if ! command -v npm >/dev/null 2>&1; then PACKAGES+=(nodejs npm); fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "Installing: ${missing[*]}"
# Wait for another apt (unattended upgrades, a second checkout) instead of failing at once.
LOCK=(-o DPkg::Lock::Timeout=600)
$SUDO apt-get "${LOCK[@]}" update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get "${LOCK[@]}" install -y -qq --no-install-recommends "${missing[@]}"
