#!/usr/bin/env bash
# tlsburst set-up: installs the Debian 12 packages the project needs (idempotent, non-interactive),
# configures and builds with meson, then optionally runs a job.
#
#   tools/setup.sh            install + build (build/)
#   tools/setup.sh run        install + build + run the default job (record benchmark comparison)
#   tools/setup.sh test       install + build + run the whole test suite
#   tools/setup.sh test-asan  install + build with address+undefined sanitizers (build-asan/) + tests
#   tools/setup.sh test-tsan  install + build with thread sanitizer (build-tsan/) + concurrency tests
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

packages=(
  build-essential pkg-config meson ninja-build
  libipsec-mb-dev libdpdk-dev dpdk-dev dpdk libhwloc-dev
  libssl-dev openssl gnutls-bin tshark curl
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  valgrind libc6-dbg python3 python3-matplotlib
)

install_packages() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    # tshark asks whether non-root users may capture; answer no, non-interactively.
    echo "wireshark-common wireshark-common/install-setuid boolean false" | $sudo debconf-set-selections
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

# configure DIR [meson options...]
configure() {
  local dir=$1; shift
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" --buildtype=release "$@"
  fi
}

# build DIR [meson options...]
build() {
  configure "$@"
  ninja -C "$1"
}

install_packages
case "${1:-build}" in
  build) build build ;;
  run)
    build build
    python3 bench/run_record_bench.py --build build --quick
    ;;
  test)
    build build
    meson test -C build --print-errorlogs --num-processes 2 --suite tlsburst
    ;;
  test-asan)
    build build-asan -Db_sanitize=address,undefined -Db_lundef=false --buildtype=debugoptimized
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
      meson test -C build-asan --print-errorlogs --num-processes 2 --suite tlsburst --no-suite slow
    ;;
  test-tsan)
    # Only the binaries of the 'concurrency' suite are built and run under ThreadSanitizer.
    configure build-tsan -Db_sanitize=thread -Db_lundef=false --buildtype=debugoptimized
    mapfile -t targets < <(meson introspect --tests build-tsan | python3 -c '
import json, os, sys
root = os.path.abspath("build-tsan")
for t in json.load(sys.stdin):
    if any(s.endswith(":concurrency") for s in t["suite"]):
        print(os.path.relpath(t["cmd"][0], root))' | sort -u)
    ninja -C build-tsan "${targets[@]}"
    TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
      meson test -C build-tsan --no-rebuild --print-errorlogs --num-processes 1 --suite concurrency
    ;;
  *) echo "usage: tools/setup.sh [build|run|test|test-asan|test-tsan]" >&2; exit 2 ;;
esac
