#!/bin/sh
# Regenerates the black-box samples of tests/scanner/test_blackbox.cpp from the scene
# renderer (tools/scenes). Usage: make_samples.sh BUILD_DIR
# Each NAME.jpg/png gets NAME.expected: "deck NAME", optional "allowed_misses N", then one
# "card answer" line per card on the frame (from the renderer's ground truth), or "none".
# allowed_misses is what the detector missed when the sample was made: a regression floor
# (recall itself is measured by bench/bench_scanner.cpp); wrong reads are never allowed.
set -eu
build=${1:?usage: make_samples.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
render="$build/tools/scenes/render_scene"
"$build/cardpoll" cards --deck classroom --format png --pattern-only --out "$tmp/patterns" >/dev/null

# name, deck, allowed misses, render_scene arguments
sample() {
  name=$1 deck=$2 misses=$3
  shift 3
  "$render" --out "$tmp/out" --prefix "$name-" --deck "$deck" "$@"
  src=$(ls "$tmp/out/$name-"*.png "$tmp/out/$name-"*.jpg 2>/dev/null | head -1)
  ext=${src##*.}
  cp "$src" "$here/$name.$ext"
  {
    echo "# render_scene --deck $deck $*"
    echo "deck $deck"
    [ "$misses" -gt 0 ] && echo "allowed_misses $misses"
    if [ -s "${src%.*}.truth" ]; then awk '{print $1, $2}' "${src%.*}.truth" | sort -n; else echo none; fi
  } > "$here/$name.expected"
}

sample easy_cards classroom 0 --seed 101 --size 800x600 --count 12 --difficulty easy --min-side 16 --max-side 60 --jpg --patterns "$tmp/patterns"
sample typical_cards classroom 1 --seed 102 --size 800x600 --count 14 --difficulty typical --min-side 14 --max-side 50 --jpg
sample hard_cards classroom 3 --seed 103 --size 800x600 --count 14 --difficulty hard --min-side 18 --max-side 50 --jpg
sample small_cards classroom 2 --seed 104 --size 640x360 --count 16 --difficulty easy --min-side 12 --max-side 16 --jpg
sample large_deck large 0 --seed 105 --size 800x600 --count 12 --difficulty typical --min-side 24 --max-side 60 --jpg
sample crowd_of_cards classroom 3 --seed 106 --size 960x540 --count 45 --difficulty easy --min-side 18 --max-side 30 --jpg
sample clutter_only classroom 0 --seed 107 --size 800x600 --count 0 --difficulty hard --jpg
sample clutter_only_typical classroom 0 --seed 108 --size 800x600 --count 0 --difficulty typical --jpg
sample placed_answers classroom 0 --size 640x360 --clean --no-clutter \
  --place 1:A:100:100:50 --place 2:B:250:100:50:10 --place 3:C:400:100:50:-15 --place 4:D:550:100:50:20 \
  --place 17:B:100:260:40:0:45:0 --place 23:C:250:260:40:0:0:-45 --place 42:D:400:260:30:5:30:30 --place 49:A:550:260:20
sample rotated_45_degrees classroom 0 --size 480x240 --clean --no-clutter \
  --place 5:A:120:120:60:45 --place 6:B:360:120:60:-42
# Both cards are physically there, but near 45 degrees the answer is ambiguous: no read.
{
  echo "# render_scene --size 480x240 --clean --no-clutter --place 5:A:120:120:60:45 --place 6:B:360:120:60:-42"
  echo "# cards 5 and 6 held at 45 and -42 degrees: refused, never guessed"
  echo "deck classroom"
  echo none
} > "$here/rotated_45_degrees.expected"
