#!/bin/sh
# Renders a threadwise HTML report in a real headless browser (Debian's
# chromium) and saves a screenshot, to check that the page is self-contained
# and that the timeline shows. Installs chromium when missing (it is big, so
# scripts/install-deps.sh leaves it out).
#
#   bench/profile/html-screenshot.sh [PROFILE_OR_REPORT.json] [OUT.png]
#
# Defaults: the recorded GIL-bound Python profile, docs/img/report-timeline.png.
# A second shot shows the interactive flame graph next to the timeline, drawn
# by the page's own script (lock kind): FLAME_INPUT (default: a recorded
# big-lock profile with stacks) -> FLAME_OUT (docs/img/report-flamegraph.png).
# Needs a built threadwise: THREADWISE=path/to/threadwise (default build/bin).
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
input=${1:-$repo/tests/runtime/Inputs/recorded-py-cpu-threads.json}
out=${2:-$repo/docs/img/report-timeline.png}
tw=${THREADWISE:-$repo/build/bin/threadwise}
flame_input=${FLAME_INPUT:-$repo/tests/runtime/Inputs/recorded-native-lock-stacks.json}
flame_out=${FLAME_OUT:-$repo/docs/img/report-flamegraph.png}

if ! command -v chromium >/dev/null 2>&1; then
  apt-get install -y chromium >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# shoot HTML URL_SUFFIX WINDOW OUT: a fresh profile directory and every
# background service off, so the page must render with no network at all.
shoot() {
  rm -rf "$work/profile"
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile" --screenshot="$work/shot.png" \
    --window-size="$3" "file://$1$2" >"$work/chromium.log" 2>&1 || {
    cat "$work/chromium.log" >&2
    exit 1
  }
  [ -s "$work/shot.png" ] || { echo "html-screenshot: no screenshot written" >&2; exit 1; }
  mkdir -p "$(dirname "$4")"
  cp "$work/shot.png" "$4"
  rm -f "$work/shot.png"
}

"$tw" report "$input" --format html -o "$work/report.html"
shoot "$work/report.html" "" 1400,900 "$out"
echo "html-screenshot: $out ($(wc -c <"$out") bytes) from $input"

"$tw" report "$flame_input" --format html -o "$work/flame.html"
shoot "$work/flame.html" "#flame=lock" 1400,1750 "$flame_out"
echo "html-screenshot: $flame_out ($(wc -c <"$flame_out") bytes) from $flame_input"
