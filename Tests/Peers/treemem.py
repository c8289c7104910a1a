# Samples the summed RSS of a process tree every 100 ms: the descendants of PID (PID itself is
# excluded: run_one.sh passes /usr/bin/time's PID). Prints the peak sum and peak process count.
#   python treemem.py PID        (needs psutil)
import sys, time
import psutil

root = psutil.Process(int(sys.argv[1]))
peak = peak_n = 0
while True:
    try:
        procs = root.children(recursive=True)
    except psutil.NoSuchProcess:
        break
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    peak, peak_n = max(peak, total), max(peak_n, len(procs))
    if not root.is_running():
        break
    time.sleep(0.1)
print(f"peak_tree_rss_mb {peak / 1048576:.1f}\npeak_procs {peak_n}")
