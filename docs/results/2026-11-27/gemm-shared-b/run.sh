#!/bin/bash
# SGEMM squares before (OLD: chunk grid) and after (NEW: shared-B path for 512³ and up), alternating processes,
# 1 and 2 threads, background jobs paused. Usage: OLD=<bench dir> NEW=<bench dir> PAIRS=3 run.sh > pairs.txt
for i in $(seq ${PAIRS:-3}); do
  for t in 2 1; do
    for b in old new; do
      d=$OLD; [ $b = new ] && d=$NEW
      dotnet $d/NasBench.Benchmarks.dll sgemm-time $t 512x512x512 1024x1024x1024 2048x2048x2048 2>&1 | grep GF | sed "s/^/pair $i $b /"
    done
  done
done
