# Reads every run folder $PEERS_DIR/runs/TOOL-cC-rREP (made by run_one.sh), writes one row per run
# to $PEERS_DIR/runs.csv and, per concurrency and tool, the min-max range over the runs to
# $PEERS_DIR/summary.md (also printed). Rep 0 is for trial runs: in runs.csv, not in the tables.
# Each figure is the tool's own, from its own output file:
#   chatbench  chatbench/summary.json modes.stream (ttft_ms; tpot_ms = what the peers call ITL;
#              itl_ms = every gap pooled) and results.jsonl (reused_connection -> warm TTFT)
#   aiperf     aiperf/profile_export_aiperf.json (time_to_first_token, inter_token_latency,
#              inter_chunk_latency) and profile_export.jsonl (http_req_connection_reused)
#   guidellm   guidellm/benchmarks.json metrics (time_to_first_token_ms, inter_token_latency_ms)
# CPU and the largest process's RSS come from /usr/bin/time -v, the summed RSS of all the tool's
# processes from treemem.py.       python3 Tests/Peers/collect.py
import csv, glob, json, os, re

P = os.environ.get("PEERS_DIR") or os.path.join(os.environ.get("TMPDIR") or "/tmp", "chatbench-peers")
TOOLS = ("chatbench", "aiperf", "guidellm")


def timev(path):
    t = open(path).read()
    g = lambda k: re.search(re.escape(k) + r": (.*)", t).group(1).strip()
    return (float(g("User time (seconds)")) + float(g("System time (seconds)")),
            int(g("Maximum resident set size (kbytes)")) / 1024, g("Elapsed (wall clock) time (h:mm:ss or m:ss)"))


def pct(vals, q):  # linear interpolation between closest ranks
    v = sorted(vals)
    if not v:
        return None
    k = (len(v) - 1) * q
    f = int(k)
    c = min(f + 1, len(v) - 1)
    return v[f] + (v[c] - v[f]) * (k - f)


def tool_figures(tool, d, r):
    warm = []
    if tool == "chatbench":
        s = json.load(open(d + "/chatbench/summary.json"))["modes"]["stream"]
        r.update(ttftmin=s["ttft_ms"]["min"], ttft50=s["ttft_ms"]["p50"], ttft99=s["ttft_ms"]["p99"],
                 itl50=s["tpot_ms"]["p50"], itl99=s["tpot_ms"]["p99"], gap50=s["itl_ms"]["p50"], gap99=s["itl_ms"]["p99"],
                 ok=s["counts_by_outcome"]["ok"], errors=sum(v for k, v in s["counts_by_outcome"].items() if k != "ok"))
        for line in open(d + "/chatbench/results.jsonl"):
            x = json.loads(line)
            if x.get("reused_connection") and x.get("ttft_ms") is not None:
                warm.append(x["ttft_ms"])
    elif tool == "aiperf":
        s = json.load(open(d + "/aiperf/profile_export_aiperf.json"))
        r.update(ttftmin=s["time_to_first_token"]["min"], ttft50=s["time_to_first_token"]["p50"],
                 ttft99=s["time_to_first_token"]["p99"], itl50=s["inter_token_latency"]["p50"],
                 itl99=s["inter_token_latency"]["p99"], gap50=s["inter_chunk_latency"]["p50"],
                 gap99=s["inter_chunk_latency"]["p99"], ok=int(s["request_count"]["avg"]),
                 errors=sum(e.get("count", 1) for e in s.get("error_summary") or []))
        for line in open(d + "/aiperf/profile_export.jsonl"):
            x = json.loads(line)["metrics"]
            if x.get("http_req_connection_reused", {}).get("value") == 1 and "time_to_first_token" in x:
                warm.append(x["time_to_first_token"]["value"])
    elif tool == "guidellm":  # its per-request records do not say whether a connection was reused
        b = json.load(open(d + "/guidellm/benchmarks.json"))["benchmarks"][0]
        m, t = b["metrics"], b["metrics"]["request_totals"]
        p = lambda k: m[k]["successful"]["percentiles"]
        r.update(ttftmin=m["time_to_first_token_ms"]["successful"]["min"], ttft50=p("time_to_first_token_ms")["p50"],
                 ttft99=p("time_to_first_token_ms")["p99"], itl50=p("inter_token_latency_ms")["p50"],
                 itl99=p("inter_token_latency_ms")["p99"], ok=t["successful"], errors=t["errored"] + t["incomplete"])
    if tool != "guidellm":
        r.update(warm_n=len(warm), warm_ttft50=pct(warm, 0.5), warm_ttft99=pct(warm, 0.99))


rows = []
for d in sorted(glob.glob(P + "/runs/*-c*-r*")):
    tool, c, rep = re.match(r".*/(\w+)-c(\d+)-r(\d+)$", d).groups()
    r = dict(tool=tool, c=int(c), rep=int(rep), err="")
    try:
        r["cpu_s"], r["maxrss_mb"], r["wall"] = timev(d + "/time.txt")
        r["mock_cpu_s"] = timev(d + "/mock_time.txt")[0]
        tm = dict(line.split() for line in open(d + "/treemem.txt"))
        r["tree_rss_mb"], r["procs"] = float(tm["peak_tree_rss_mb"]), int(tm["peak_procs"])
        r["load1"] = float(open(d + "/loadavg_before.txt").read().split()[0])
        r["exit"] = int(open(d + "/exit.txt").read().split()[1])
    except Exception as e:
        r["err"] += repr(e)
    try:
        tool_figures(tool, d, r)
    except Exception as e:
        r["err"] += repr(e)
    rows.append(r)

keys = ["tool", "c", "rep", "exit", "ttftmin", "ttft50", "ttft99", "itl50", "itl99", "gap50", "gap99", "cpu_s",
        "maxrss_mb", "tree_rss_mb", "procs", "ok", "errors", "mock_cpu_s", "wall", "load1", "warm_n",
        "warm_ttft50", "warm_ttft99", "err"]
with open(P + "/runs.csv", "w", newline="") as f:
    w = csv.DictWriter(f, keys, extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)


def rng(vals, fmt):
    vals = [v for v in vals if v is not None]
    if not vals:
        return "–"
    lo, hi = fmt % min(vals), fmt % max(vals)
    return lo if lo == hi else f"{lo}–{hi}"


out = []
tabled = [r for r in rows if r["rep"] != 0]
for c in sorted({r["c"] for r in tabled}):
    out += [f"\n### Concurrency {c}\n",
            "| tool | TTFT p50 ms | TTFT p99 ms | ITL p50 ms (tool's own ITL) | ITL p99 ms (tool's own ITL) | per-gap p50 ms | per-gap p99 ms | CPU s (user+sys) | peak RSS MB (largest process) | peak RSS MB (all processes) | completed | errors | mock CPU s |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    sel = {t: [r for r in tabled if r["tool"] == t and r["c"] == c] for t in TOOLS}
    for t, rs in sel.items():
        if rs:
            g = lambda k: [r.get(k) for r in rs]
            out.append(f"| {t} ({len(rs)} runs) | {rng(g('ttft50'), '%.1f')} | {rng(g('ttft99'), '%.1f')} | {rng(g('itl50'), '%.2f')} | {rng(g('itl99'), '%.2f')} | {rng(g('gap50'), '%.2f')} | {rng(g('gap99'), '%.1f')} | {rng(g('cpu_s'), '%.2f')} | {rng(g('maxrss_mb'), '%.0f')} | {rng(g('tree_rss_mb'), '%.0f')} | {rng(g('ok'), '%d')} | {rng(g('errors'), '%d')} | {rng(g('mock_cpu_s'), '%.2f')} |")
    out += ["", "| tool | TTFT min ms | warm-connection TTFT p50 ms | warm-connection TTFT p99 ms | warm requests | processes (peak) | wall time | 1-min load before |",
            "|---|---|---|---|---|---|---|---|"]
    for t, rs in sel.items():
        if rs:
            g = lambda k: [r.get(k) for r in rs]
            out.append(f"| {t} | {rng(g('ttftmin'), '%.1f')} | {rng(g('warm_ttft50'), '%.1f')} | {rng(g('warm_ttft99'), '%.1f')} | {rng(g('warm_n'), '%d')} | {rng(g('procs'), '%d')} | {', '.join(str(x) for x in g('wall'))} | {rng(g('load1'), '%.2f')} |")
open(P + "/summary.md", "w").write("\n".join(out) + "\n")
print("\n".join(out))
for r in rows:
    if r["err"] or r.get("exit"):
        print("ERR", r["tool"], r["c"], r["rep"], "exit", r.get("exit"), r["err"])
print(f"\n{len(rows)} runs; rows in {P}/runs.csv, tables in {P}/summary.md")
