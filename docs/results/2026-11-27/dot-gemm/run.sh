#!/bin/bash
# Evaluation-network training (the baselines' DARTS cell, C = 24, 8 cells, batch 96, 20 steps, 1 thread) with the
# packed GEMM (OLD) and DotProductGemm (NEW) for the 1×1 weight gradients, alternating; background jobs paused.
# Usage: OLD=<dir with nasbench> NEW=<dir> PAIRS=3 run.sh > pairs.txt
G=$(cd "$(dirname "$0")/../../2026-11-26/search-c8-5k/darts" && pwd)/genotype.json
for i in $(seq ${PAIRS:-3}); do
  for b in old new; do
    d=$OLD; [ $b = new ] && d=$NEW
    rm -rf /tmp/dot-gemm-$b
    $d/nasbench train --genotype $G --epochs 1 --init-channels 24 --layers 8 --threads ${THREADS:-1} --no-progress \
      --train-limit 1920 --test-limit 96 --output /tmp/dot-gemm-$b --name r > /dev/null 2>&1
    echo "pair $i $b $(grep -o 'acc [0-9.]* %, test loss [0-9.]* acc [0-9.]* %, lr [0-9.]*, [0-9.]* s train' /tmp/dot-gemm-$b/r/log.txt)"
  done
done
