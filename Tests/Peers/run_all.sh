#!/usr/bin/env bash
# Every measurement, interleaved: for each repetition, each load level, each tool; then one
# one-request run per tool (start-up cost, C=1 N=1). About 25 min on a 2-core VM.
#   Tests/Peers/run_all.sh        (REPS=3 TOOLS="chatbench aiperf guidellm" by default)
# Then: python3 Tests/Peers/collect.py
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
read -r -a tools <<<"${TOOLS:-chatbench aiperf guidellm}"
failed=0
run() { "$here/run_one.sh" "$@" || { echo "FAILED: $*"; failed=$((failed + 1)); }; }
for rep in $(seq "${REPS:-3}"); do
    for level in 16:320 64:640 256:2560; do
        for tool in "${tools[@]}"; do run "$tool" "${level%:*}" "${level#*:}" "$rep"; done
    done
done
for tool in "${tools[@]}"; do run "$tool" 1 1 1; done
echo "done, $failed failed"
[ "$failed" = 0 ]
