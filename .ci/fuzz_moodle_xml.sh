#!/usr/bin/env bash
# Bounded libFuzzer run of the Moodle XML importer (tests/fuzz/fuzz_moodle_xml.cpp).
#   bash .ci/fuzz_moodle_xml.sh      30 s (FUZZ_SECONDS=N to change), build in build-fuzz
# Seeds: the Moodle XML samples in tests/data/import/samples/questions (only read); new
# inputs go to a scratch corpus. A crash leaves its input in build-fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build-fuzz
seconds=${FUZZ_SECONDS:-30}
jobs=$(nproc 2>/dev/null || echo 2)

CC=clang CXX=clang++ cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCARDPOLL_FUZZ=ON -DCARDPOLL_BENCH=OFF \
  -DCMAKE_C_FLAGS="-fsanitize=fuzzer-no-link,address" \
  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address -Wno-unknown-warning-option" >/dev/null
cmake --build "$dir" -j "$jobs" --target fuzz_moodle_xml

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
seeds=$(mktemp -d)
trap 'rm -rf "$scratch" "$seeds"' EXIT
cp tests/data/import/samples/questions/*.xml "$seeds"/
mkdir -p "$dir/artifacts"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
echo "fuzz: moodle xml import for ${seconds} s"
"$dir/tests/fuzz/fuzz_moodle_xml" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -max_len=65536 -print_final_stats=1 -artifact_prefix="$dir/artifacts/" "$scratch" "$seeds"
echo "fuzz: no crash in ${seconds} s"
