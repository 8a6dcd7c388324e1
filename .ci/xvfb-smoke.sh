#!/usr/bin/env bash
# A real window under Xvfb: `cardpoll live` (the demo class, the demo recording played at its
# own speed) opens its two SDL windows in a virtual display, runs a few seconds, ends by itself
# (--quit-after) and saves both windows as they were drawn (--screenshot: read back from the
# windows' own renderers). Checks: it did open windows (not the headless fallback), ended the
# session cleanly, stored answers, and the screenshot is a real picture (many distinct colours,
# not one flat fill).
# Usage: bash .ci/xvfb-smoke.sh [BUILD_DIR]   (default build); screenshot in BUILD_DIR/xvfb-smoke.png
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
exe="$build/cardpoll"
seconds=${XVFB_SMOKE_SECONDS:-8}
[ -x "$exe" ] || { echo "xvfb-smoke: $exe not built" >&2; exit 1; }
command -v xvfb-run >/dev/null || { echo "xvfb-smoke: xvfb-run missing (apt-get install xvfb xauth)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
shot="$build/xvfb-smoke.png"
rm -f "$shot"
status=0
# timeout: a hung window must fail CI, not hold it.
timeout 90 xvfb-run -a -s "-screen 0 2600x760x24" \
  "$exe" --db "$tmp/smoke.db" live --source assets/demo/demo.mp4 --quit-after "$seconds" \
  --screenshot "$shot" > "$tmp/live.log" 2>&1 || status=$?
cat "$tmp/live.log"
fail() { echo "xvfb-smoke: FAILED: $*" >&2; exit 1; }
[ "$status" -eq 0 ] || fail "cardpoll live exited with $status"
grep -q "running headless" "$tmp/live.log" && fail "no window opened"
grep -q "session 1 ended" "$tmp/live.log" || fail "session not ended cleanly"
grep -Eq "session 1 ended: [1-9][0-9]* questions asked, [1-9][0-9]* answers" "$tmp/live.log" ||
  fail "no answers stored in $seconds s of the demo"
[ -s "$shot" ] || fail "no screenshot"
# The screenshot must be a picture: two 1280x720 windows side by side, many colours.
python3 - "$shot" <<'EOF' || fail "screenshot $shot is not a real picture"
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, width, height = 8, b"", 0, 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
        assert depth == 8 and ctype in (2, 6), "unexpected PNG format"
        bpp = 3 if ctype == 2 else 4
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
raw = zlib.decompress(idat)
stride = width * bpp
# Undo the PNG row filters to count real pixel values.
rows, prev = [], bytearray(stride)
for y in range(height):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(bytes(line))
    prev = line
colours = set()
for y in range(0, height, 4):
    r = rows[y]
    for x in range(0, width, 4):
        colours.add(r[x * bpp:x * bpp + 3])
print(f"xvfb-smoke: screenshot {width}x{height}, {len(colours)} distinct colours (sampled)")
assert width >= 2 * 1280 and height >= 720, "windows smaller than expected"
assert len(colours) >= 16, "flat image"
EOF
echo "xvfb-smoke: ok, screenshot $shot"
