#!/bin/bash
# The row-shared depthwise tap sum (TapGridKernels) against the build before it: supernet weight step at 1 thread
# (thread CPU clock) and 2 threads (wall), and the depthwise kernels alone. OLD and NEW are published benchmark
# folders (dotnet publish benchmarks/NasBench.Benchmarks -c Release -o DIR); pause other jobs first.
OLD=${OLD:-/work/bench-new}; NEW=${NEW:-/work/bench-grid}
for r in 1 2 3; do for b in $OLD $NEW; do echo "$b $(CPUCLOCK=1 dotnet $b/NasBench.Benchmarks.dll supernet-time 1 3 1 2>&1 | grep 'weight step fwd')"; done; done > supernet-pairs-1t-cpuclock.txt
for r in 1 2 3; do for b in $OLD $NEW; do echo "$b $(dotnet $b/NasBench.Benchmarks.dll supernet-time 2 4 1 2>&1 | grep 'weight step fwd')"; done; done > supernet-pairs-2t.txt
for r in 1 2 3; do for b in $OLD $NEW; do echo "$b $(CPUCLOCK=1 dotnet $b/NasBench.Benchmarks.dll kernel-time 1 15 dw1 2>&1 | grep -E 'k5d2 .*(fwd|bwdD)' | awk '{print $4, $6}' | tr '\n' ' ')"; done; done > dw-k5d2-pairs.txt
