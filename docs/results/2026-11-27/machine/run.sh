#!/bin/bash
# What 2 threads can give on this guest: FMA peak and STREAM at 1 and 2 threads (shared/peers/fmapeak.c, stream.c).
# Usage: run.sh > machine.txt   (pause other work first)
p=$(cd "$(dirname "$0")/../../../.." && pwd)/../shared/peers; [ -d "$p" ] || p=/work/shared/peers
gcc -O3 -march=native -fopenmp "$p/fmapeak.c" -o /tmp/fmapeak && gcc -O3 -march=native -fopenmp "$p/stream.c" -o /tmp/stream
grep -m1 "model name" /proc/cpuinfo; lscpu | grep -E "Thread|Core|Socket|L1d|L2|L3"
for t in 1 2; do OMP_NUM_THREADS=$t /tmp/fmapeak | tail -3; done
for t in 1 2; do OMP_NUM_THREADS=$t /tmp/stream | tail -5; done
