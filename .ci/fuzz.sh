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
# not the allocator (libFuzzer would report a 2 GB malloc as a crash).
export OPENCV_IO_MAX_IMAGE_PIXELS=$((4096 * 4096)) OPENCV_IO_MAX_IMAGE_WIDTH=8192 \
  OPENCV_IO_MAX_IMAGE_HEIGHT=8192
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1

limit=(-max_total_time="$seconds")
if [ -n "$runs" ]; then
  limit=(-runs="$runs")
  # Both given: whichever comes first (a cap for slow targets).
  [ -n "${FUZZ_SECONDS:-}" ] && limit+=(-max_total_time="$seconds")
fi
run_one() {
  local t=$1
  mkdir -p "$scratch/$t"
  if "$dir/tests/fuzz/fuzz_$t" "${limit[@]}" -timeout=20 -rss_limit_mb=2048 -max_len=200000 \
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
