#!/usr/bin/env python3
"""Samples per thread and per symbol of a `perf record` of a .NET process, JIT frames resolved from its perf map.

Usage: DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 perf record -F 500 -o P dotnet ... supernet-time 2 3 1
       perf script -i P -F tid,ip,sym | per-thread.py /tmp/perf-<pid>.map
Prints the two busiest threads' sample counts, then the symbols where the first (the caller) is busiest beyond the
second (the worker): the serial parts of a 2-thread run."""
import bisect, collections, sys

entries = []
for line in open(sys.argv[1]):
    start, size, name = line.rstrip('\n').split(' ', 2)
    entries.append((int(start, 16), int(size, 16), name))
entries.sort()
starts = [e[0] for e in entries]

def resolve(ip):
    i = bisect.bisect_right(starts, ip) - 1
    return entries[i][2] if i >= 0 and ip < entries[i][0] + entries[i][1] else 'unknown'

counts, per_thread = collections.Counter(), collections.Counter()
for line in sys.stdin:
    parts = line.split(None, 2)
    if len(parts) < 2:
        continue
    tid, ip = parts[0], int(parts[1], 16)
    sym = parts[2].strip() if len(parts) > 2 else '?'
    if sym == '[unknown]':
        sym = resolve(ip)
    counts[(tid, sym[:100])] += 1
    per_thread[tid] += 1
print(per_thread.most_common(3))
caller, worker = [t for t, _ in per_thread.most_common(2)]
gap = collections.Counter()
for (tid, sym), n in counts.items():
    gap[sym] += n if tid == caller else -n if tid == worker else 0
for sym, n in gap.most_common(25):
    print(n, counts[(caller, sym)], counts[(worker, sym)], sym)
