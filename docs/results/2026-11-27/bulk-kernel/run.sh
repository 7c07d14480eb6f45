#!/bin/bash
# Paired supernet weight steps (peer architecture, batch 64, 2 threads): the build before BulkKernel (OLD) and
# after (NEW), alternating, background training paused. Usage: OLD=<dir> NEW=<dir> PAIRS=3 run.sh > pairs.txt
for i in $(seq ${PAIRS:-3}); do
  for b in old new; do
    d=$OLD; [ $b = new ] && d=$NEW
    echo "== pair $i $b"; dotnet $d/NasBench.Benchmarks.dll supernet-time 2 3 1 2>&1 | grep -E "weight step fwd|1st-order|peak RSS"
  done
done
