#!/bin/sh
# Renders a report.html in headless Chromium and saves a PNG, to look at the charts as a browser draws them.
# Usage: Tests/screenshot-report.sh [RUN_DIR|report.html] [OUT.png]
# With no argument it makes a fresh mock run (stream and non-stream, some jitter) first.
# Needs Chromium: apt-get update && apt-get install -y chromium  (Debian's package)
set -eu
target=${1:-}
png=${2:-/tmp/chatbench-report.png}
if [ -z "$target" ]; then
    target=$(mktemp -d)/run
    swift run chatbench run prompts/smoke.jsonl --mock=ttft=200ms,itl=20ms,tokens=32,jitter=0.3 \
        --mode both --concurrency 4 --repeat 3 --out "$target" --quiet
fi
[ -d "$target" ] && target="$target/report.html"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,2400 \
    --screenshot="$png" "file://$(realpath "$target")" 2>/dev/null
echo "$png"
