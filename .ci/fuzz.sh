#!/usr/bin/env bash
# libFuzzer runs of every parser target in tests/fuzz (one per folder in tests/fuzz/corpus),
# called from .ci/run. Bounded for CI; longer by the same script:
#   bash .ci/fuzz.sh                      every target FUZZ_SECONDS=20 s, two at a time
#   FUZZ_SECONDS=600 bash .ci/fuzz.sh     ten minutes each
#   FUZZ_RUNS=1000000 bash .ci/fuzz.sh    a million executions each (no time limit; with
#                                         FUZZ_SECONDS too, whichever comes first)
#   bash .ci/fuzz.sh json gift            only the targets named
# The whole build is instrumented (-fsanitize=fuzzer-no-link,address) so libFuzzer follows
# coverage inside the code under test; each target links -fsanitize=fuzzer,address. New
# inputs go to a scratch corpus; the committed seeds in tests/fuzz/corpus/<target> are only
# read. A crash, a hang (-timeout) or a broken error contract (the target aborts) leaves its
# input in build-fuzz/artifacts/ and fails the script. Per-target results: build-fuzz/fuzz-<t>.log.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build-fuzz
seconds=${FUZZ_SECONDS:-20}
runs=${FUZZ_RUNS:-}
parallel=${FUZZ_PARALLEL:-2}
jobs=$(nproc 2>/dev/null || echo 2)

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for d in tests/fuzz/corpus/*/; do targets+=("$(basename "$d")"); done
fi

CC=clang CXX=clang++ cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCARDPOLL_FUZZ=ON -DCARDPOLL_BENCH=OFF \
  -DCMAKE_C_FLAGS="-fsanitize=fuzzer-no-link,address" \
  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address -Wno-unknown-warning-option" >/dev/null
cmake --build "$dir" -j "$jobs" --target "${targets[@]/#/fuzz_}"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$dir/artifacts"
# Codec headers may claim huge images: keep every decode small so a run measures the code,
# not the allocator (libFuzzer would report a 2 GB malloc as a crash), and fast (256x256:
# see target_options).
export OPENCV_IO_MAX_IMAGE_PIXELS=$((256 * 256)) OPENCV_IO_MAX_IMAGE_WIDTH=8192 \
  OPENCV_IO_MAX_IMAGE_HEIGHT=8192
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
# camera_profile and images write each input to a file (read as cardpoll reads it): in RAM,
# not on a disk that discards blocks on every truncate (half their time went there).
if [ -z "${FUZZ_TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then FUZZ_TMPDIR=/dev/shm; fi
[ -n "${FUZZ_TMPDIR:-}" ] && export TMPDIR=$FUZZ_TMPDIR

# Per target: the largest input worth mutating (-max_len), a dictionary when there is one
# (tests/fuzz/<target>.dict), and the decode limits. Why each max_len:
#   camera_profile 8192   what `cardpoll calibrate camera` writes is ~300 bytes; every check
#                         that reads the text (line <= 4096 bytes, brackets, quotes, '---',
#                         matrix sizes) is reached by 8 KiB; the 64 KiB cap itself is a unit
#                         test (CameraProfile.*), and bigger inputs only cost time in OpenCV.
#   images, read_cards    every header, chunk and marker structure of the codecs fits in
#     16384               16 KiB (the seeds are 2-7 KiB); decoded frames are capped at
#                         256x256 pixels (OPENCV_IO_MAX_IMAGE_PIXELS below): a bigger claim
#                         takes the same "too large to decode" path, and the detector has no
#                         frame-size-dependent path past 8x8 (fuzz_read_cards.cpp).
#   moodle_xml 16384      the seed export (5 KiB, several questions) fits 3 times; nesting,
#                         entities and every element the importer reads fit; its dictionary
#                         supplies the element names.
#   the others 200000     text parsers at 10-40k executions a second: no need to bound.
target_options() {
  case $1 in
    camera_profile) echo -max_len=8192 ;;
    images | read_cards) echo -max_len=16384 ;;
    moodle_xml) echo -max_len=16384 ;;
    *) echo -max_len=200000 ;;
  esac
  [ -f "tests/fuzz/$1.dict" ] && echo "-dict=tests/fuzz/$1.dict"
  return 0
}

limit=(-max_total_time="$seconds")
if [ -n "$runs" ]; then
  limit=(-runs="$runs")
  # Both given: whichever comes first (a cap for slow targets).
  [ -n "${FUZZ_SECONDS:-}" ] && limit+=(-max_total_time="$seconds")
fi
run_one() {
  local t=$1
  mkdir -p "$scratch/$t"
  local opts
  read -r -a opts <<<"$(target_options "$t" | tr '\n' ' ')"
  if "$dir/tests/fuzz/fuzz_$t" "${limit[@]}" -timeout=20 -rss_limit_mb=2048 "${opts[@]}" \
      -print_final_stats=1 -artifact_prefix="$dir/artifacts/$t-" "$scratch/$t" "tests/fuzz/corpus/$t" \
      >"$dir/fuzz-$t.log" 2>&1; then
    echo "fuzz: $t ok, $(grep -o 'stat::number_of_executed_units: *[0-9]*' "$dir/fuzz-$t.log" | grep -o '[0-9]*$') executions"
  else
    echo "fuzz: $t FAILED (see $dir/fuzz-$t.log)"; tail -n 30 "$dir/fuzz-$t.log"; return 1
  fi
}
if [ -n "$runs" ]; then each="$runs runs${FUZZ_SECONDS:+ (at most $seconds s)}"; else each="$seconds s"; fi
echo "fuzz: ${#targets[@]} targets, $each each, $parallel at a time"
failed=0
pids=()
for t in "${targets[@]}"; do
  run_one "$t" &
  pids+=($!)
  if [ ${#pids[@]} -ge "$parallel" ]; then wait "${pids[0]}" || failed=1; pids=("${pids[@]:1}"); fi
done
for p in "${pids[@]}"; do wait "$p" || failed=1; done
[ $failed -eq 0 ] && echo "fuzz: no crash, hang or broken contract" || { echo "fuzz: FAILED"; exit 1; }
