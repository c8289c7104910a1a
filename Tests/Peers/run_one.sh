#!/usr/bin/env bash
# One measurement: a fresh `chatbench mock` (ttft=200ms, itl=20ms, 50 tokens) and one tool, both
# under /usr/bin/time -v, inside a new network namespace that has only loopback (unshare --net),
# so no traffic can leave 127.0.0.1/::1. Output: $PEERS_DIR/runs/TOOL-cC-rREP/
#   Tests/Peers/run_one.sh TOOL CONCURRENCY REQUESTS REP     TOOL: chatbench | aiperf | guidellm
# Env: PEERS_DIR (default ${TMPDIR:-/tmp}/chatbench-peers, prepared by setup.sh),
#      CHATBENCH (default .build/release/chatbench of this repo).
set -euo pipefail

if [ "${1:-}" = --inside ]; then  # second stage, inside the namespace: mock up, tool, mock down
    shift
    ip link set lo up
    /usr/bin/time -v -o "$OUT/mock_time.txt" "$CB" mock --port 18080 ttft=200ms,itl=20ms,tokens=50,model=mock \
        >"$OUT/mock.log" 2>&1 &
    tm=$!
    for _ in $(seq 100); do curl -s -o /dev/null http://127.0.0.1:18080/v1/models && break; sleep 0.05; done
    /usr/bin/time -v -o "$OUT/time.txt" "$@" >"$OUT/stdout.txt" 2>"$OUT/stderr.txt" &
    tp=$!
    "$P/venv/bin/python" "$HERE/treemem.py" "$tp" >"$OUT/treemem.txt" &
    sp=$!
    rc=0; wait "$tp" || rc=$?
    echo "exit $rc" >"$OUT/exit.txt"
    wait "$sp" || true
    kill -INT "$(pgrep -P "$tm")" || true; wait "$tm" || true
    exit "$rc"
fi

[ $# -eq 4 ] || { echo "usage: $0 chatbench|aiperf|guidellm CONCURRENCY REQUESTS REP" >&2; exit 2; }
TOOL=$1 C=$2 N=$3 REP=$4
HERE=$(cd "$(dirname "$0")" && pwd)
P=${PEERS_DIR:-${TMPDIR:-/tmp}/chatbench-peers}
CB=${CHATBENCH:-$HERE/../../.build/release/chatbench}
[ -x "$CB" ] || { echo "no chatbench binary at $CB: swift build -c release --product chatbench" >&2; exit 1; }
CB=$(realpath "$CB")
P=$(realpath "$P")
OUT=$P/runs/$TOOL-c$C-r$REP
url=http://127.0.0.1:18080
case $TOOL in
  chatbench) cmd=("$CB" run "$HERE/prompts.jsonl" --base-url "$url/v1" --model mock
                  --concurrency "$C" --requests "$N" --out "$OUT/chatbench" --no-progress) ;;
  aiperf) cmd=("$P/venv/bin/aiperf" profile --model mock --url "$url" --endpoint-type chat
               --streaming --use-server-token-count --tokenizer local/wordlevel
               --input-file "$HERE/aiperf_prompts.jsonl" --custom-dataset-type single_turn
               --concurrency "$C" --request-count "$N" --ui none --no-server-metrics --no-gpu-telemetry
               --output-artifact-dir "$OUT/aiperf") ;;
  guidellm)
    # guidellm stops when its data runs out, so the 8 prompts are cycled to max(N, 2560) lines.
    gp=$P/guidellm_prompts.jsonl
    if [ ! -s "$gp" ] || [ "$(wc -l <"$gp")" -lt "$N" ]; then
        awk -v n=$((N > 2560 ? N : 2560)) '{ l[NR] = $0 } END { for (i = 0; i < n; i++) print l[i % NR + 1] }' \
            "$HERE/guidellm_prompts.jsonl" >"$gp"
    fi
    # validate_backend=false: its check GETs /health, which the mock answers 404.
    cmd=("$P/venv-guidellm/bin/guidellm" run
         --backend "kind=openai_http,target=$url,model=mock,validate_backend=false"
         --profile "kind=concurrent,streams=$C" --constraint "kind=max_requests,count=$N"
         --tokenizer "kind=huggingface_auto,model=$P/tok" --data "kind=json_file,path=$gp"
         --output "kind=json,path=$OUT/guidellm/benchmarks.json" --disable-progress) ;;
  *) echo "unknown tool: $TOOL" >&2; exit 2 ;;
esac
rm -rf "$OUT"; mkdir -p "$OUT"
printf '%q ' "${cmd[@]}" >"$OUT/cmd.txt"; echo >>"$OUT/cmd.txt"
cat /proc/loadavg >"$OUT/loadavg_before.txt"
export HF_HOME=$P/hf HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_DATASETS_OFFLINE=1 OUT CB P HERE
ns=(unshare --net)
[ "$(id -u)" = 0 ] || ns=(unshare --map-root-user --net)
rc=0; "${ns[@]}" "$HERE/run_one.sh" --inside "${cmd[@]}" || rc=$?
cat /proc/loadavg >"$OUT/loadavg_after.txt"
echo "$TOOL c=$C n=$N rep=$REP: exit $rc wall=$(awk '/Elapsed/ { print $NF }' "$OUT/time.txt")"
exit "$rc"
