#!/usr/bin/env bash
# Bounded libFuzzer run of the detector (tests/fuzz/fuzz_read_cards.cpp), called from .ci/run.
#   bash .ci/fuzz.sh            60 s (FUZZ_SECONDS=N to change), build in build-fuzz
# The whole build is instrumented (-fsanitize=fuzzer-no-link,address) so libFuzzer follows
# coverage inside the scanner; the fuzzer itself links -fsanitize=fuzzer,address. New
# inputs go to a scratch corpus; the committed seeds in tests/fuzz/corpus are only read.
# A crash leaves its input in build-fuzz/artifacts/ and fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build-fuzz
seconds=${FUZZ_SECONDS:-60}
jobs=$(nproc 2>/dev/null || echo 2)

CC=clang CXX=clang++ cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCARDPOLL_FUZZ=ON -DCARDPOLL_BENCH=OFF \
  -DCMAKE_C_FLAGS="-fsanitize=fuzzer-no-link,address" \
  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address -Wno-unknown-warning-option" >/dev/null
cmake --build "$dir" -j "$jobs" --target fuzz_read_cards

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$dir/artifacts"
# Codec headers may claim huge images: keep every decode small so a run measures the
# detector, not the allocator (libFuzzer would report a 2 GB malloc as a crash).
export OPENCV_IO_MAX_IMAGE_PIXELS=$((4096 * 4096)) OPENCV_IO_MAX_IMAGE_WIDTH=8192 \
  OPENCV_IO_MAX_IMAGE_HEIGHT=8192
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
echo "fuzz: read_cards for ${seconds} s"
"$dir/tests/fuzz/fuzz_read_cards" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
  -max_len=200000 -print_final_stats=1 -artifact_prefix="$dir/artifacts/" \
  "$scratch" tests/fuzz/corpus
echo "fuzz: no crash in ${seconds} s"
