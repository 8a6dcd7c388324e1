#!/usr/bin/env bash
# cardpoll set-up: installs every Debian 12 package the project needs (with sudo when not
# root), builds, and runs what you ask for. Safe to run again: it installs only what is
# missing and rebuilds only what changed.
#
#   bash setup.sh live        build, then run live scanning (the bundled demo when no camera)
#   bash setup.sh test        build, then run the whole test suite (ctest)
#   bash setup.sh sanitize    build with ASan+UBSan in build-asan and run the tests there
#   bash setup.sh tsan        build with ThreadSanitizer in build-tsan and run the pipeline tests
#   bash setup.sh build       install and build only
#   bash setup.sh package     build, then write build/cardpoll_<version>_amd64.deb (CPack)
#   bash setup.sh deps        install packages only
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libopencv-dev libopencv-contrib-dev
  libzxing-dev
  libsdl2-dev libsdl2-ttf-dev
  libsqlite3-dev sqlite3
  libpqxx-dev postgresql
  libgtest-dev libgmock-dev libbenchmark-dev
  libcairo2-dev libfontconfig-dev fonts-dejavu-core
  nlohmann-json3-dev libxml2-dev
  fonts-wqy-microhei
  libimgui-dev libfreetype-dev libgl-dev libgl1-mesa-dri libglx-mesa0
  libapriltag-dev
  clang libclang-rt-14-dev
  xvfb xauth
  file dpkg-dev
)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_packages() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

JOBS=$(nproc 2>/dev/null || echo 2)

build() {  # build DIR [cmake options...] [-- targets...]
  local dir=$1; shift
  local opts=() targets=()
  while [ $# -gt 0 ]; do
    if [ "$1" = "--" ]; then shift; targets=("$@"); break; fi
    opts+=("$1"); shift
  done
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${opts[@]}" >/dev/null
  if [ ${#targets[@]} -gt 0 ]; then
    cmake --build "$dir" -j "$JOBS" --target "${targets[@]}"
  else
    cmake --build "$dir" -j "$JOBS"
  fi
}

# Puts `cardpoll` on the PATH (a link to this checkout's build, so a rebuild is picked up):
# /usr/local/bin as root, else ~/.local/bin, which Debian's ~/.profile adds to the PATH.
link_on_path() {
  local bin=/usr/local/bin
  [ "$(id -u)" -eq 0 ] || bin=$HOME/.local/bin
  mkdir -p "$bin"
  if [ -e "$bin/cardpoll" ] && [ ! -L "$bin/cardpoll" ]; then
    echo "setup: $bin/cardpoll exists and is not our link; leaving it (run build/cardpoll)"
    return
  fi
  ln -sfn "$PWD/build/cardpoll" "$bin/cardpoll"
  case ":$PATH:" in
    *":$bin:"*) ;;
    *) echo "setup: linked $bin/cardpoll; open a new terminal (or add $bin to PATH) to type 'cardpoll'" ;;
  esac
}

run_tests() {  # run_tests DIR [ctest options...]
  local dir=$1; shift
  ctest --test-dir "$dir" --output-on-failure -j "$JOBS" "$@"
}

what=${1:-live}
shift || true
case "$what" in
  deps) install_packages ;;
  build) install_packages; build build; link_on_path ;;
  test) install_packages; build build; link_on_path; run_tests build "$@" ;;
  package)
    install_packages; build build
    (cd build && cpack -G DEB >/dev/null)
    ls build/cardpoll_*_amd64.deb ;;
  sanitize)
    install_packages
    build build-asan -DCARDPOLL_SANITIZE=ON -DCARDPOLL_BENCH=OFF
    # The options reach the cardpoll processes the tests start, too.
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      LSAN_OPTIONS="suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0" \
      run_tests build-asan "$@" ;;
  tsan)
    install_packages
    # Only the threaded parts (tests/CMakeLists.txt: cardpoll_thread_tests): the scanner's live
    # pipeline (one camera, and several merged: SeveralPipelines), its tracker, and the core's
    # write queue and concurrent access; built alone, without the rest of the program.
    build build-tsan -DCARDPOLL_TSAN=ON -DCARDPOLL_BENCH=OFF -- cardpoll_thread_tests
    (cd build-tsan/tests && TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
      ./cardpoll_thread_tests --gtest_filter='*Pipeline*:*Tracker*:*Concurrent*:*Thread*') ;;
  live)
    # Your webcam, or the bundled demo lesson when there is none; windows when there is a
    # display, a text tally in the terminal when there is not.
    install_packages; build build; link_on_path
    exec build/cardpoll live "$@" ;;
  *) echo "usage: bash setup.sh live|test|sanitize|tsan|build|package|deps" >&2; exit 2 ;;
esac
