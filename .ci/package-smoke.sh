#!/usr/bin/env bash
# The Debian package (`bash setup.sh package`) holds a program that runs on its own files:
# unpacked into an empty folder (dpkg -x, no system change), its cardpoll runs the demo lesson
# from the package's share/cardpoll and its man pages open.
set -euo pipefail
cd "$(dirname "$0")/.."
bash setup.sh package
deb=$(ls build/cardpoll_*_amd64.deb | head -n 1)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg-deb -x "$deb" "$tmp/root"
exe="$tmp/root/usr/bin/cardpoll"
"$exe" --version
out=$(env -u CARDPOLL_DEMO_DIR -u DISPLAY "$exe" --db "$tmp/lesson.db" live --headless --quit-after 2)
echo "$out" | tail -n 3
echo "$out" | grep -q "$tmp/root/usr/share/cardpoll/demo" || { echo "package-smoke: FAILED: demo not taken from the package" >&2; exit 1; }
grep -q '^Exec=cardpoll' "$tmp/root/usr/share/applications/cardpoll.desktop"
[ -s "$tmp/root/usr/share/man/man1/cardpoll-live.1" ]
echo "package-smoke: $(basename "$deb") ($(du -h "$deb" | cut -f1)) runs from an empty prefix"
