#!/usr/bin/env bash
# Prepares everything the peer comparison needs under $PEERS_DIR (default ${TMPDIR:-/tmp}/chatbench-peers):
#   venv/           aiperf and pinned dependencies (+ psutil, used by treemem.py)
#   venv-guidellm/  guidellm and pinned dependencies (own venv so the two peers cannot clash)
#   tok/            offline whitespace WordLevel tokenizer (make_tokenizer.py), given to guidellm
#   hf/             HF_HOME holding the same tokenizer as cached hub repo "local/wordlevel", for aiperf
# Only the pip installs use the network. A venv that already has every pin is left alone.
#   Tests/Peers/setup.sh          (PYTHON=python3.11 to choose the interpreter; measured with 3.11.7)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
P=${PEERS_DIR:-${TMPDIR:-/tmp}/chatbench-peers}
PYTHON=${PYTHON:-python3}
aiperf_pins=(aiperf==0.13.0 aiohttp==3.14.5 uvloop==0.23.0 transformers==5.24.0 tokenizers==0.23.3 psutil==7.0.0)
guidellm_pins=(guidellm==0.8.1 httpx==0.28.1 uvloop==0.23.0 transformers==5.24.0 tokenizers==0.23.3
               torch==2.15.0 datasets==5.2.0)

make_venv() {  # DIR PIN...
    local dir=$1 have pin missing=0
    shift
    have=$("$dir/bin/python" -m pip freeze 2>/dev/null || true)
    for pin in "$@"; do grep -qxF "$pin" <<<"$have" || missing=1; done
    if [ "$missing" = 0 ]; then echo "$dir: already has $*"; return; fi
    "$PYTHON" -m venv "$dir"
    "$dir/bin/pip" install -q --upgrade pip
    "$dir/bin/pip" install -q "$@"
}

mkdir -p "$P"
make_venv "$P/venv" "${aiperf_pins[@]}"
make_venv "$P/venv-guidellm" "${guidellm_pins[@]}"

export HF_HOME=$P/hf HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_DATASETS_OFFLINE=1
"$P/venv/bin/python" "$here/make_tokenizer.py" "$P/tok"
# With HF_HUB_OFFLINE=1 aiperf accepts only a hub-style repo id found in the HF cache (a folder
# path fails with "Repo id must be in the form 'repo_name'..."), so lay the files out as one.
rev=0000000000000000000000000000000000000001
d=$P/hf/hub/models--local--wordlevel
mkdir -p "$d/refs" "$d/snapshots/$rev"
printf %s "$rev" > "$d/refs/main"
cp "$P/tok/tokenizer.json" "$P/tok/tokenizer_config.json" "$d/snapshots/$rev/"
echo "ready: $P"
