#!/bin/bash
# One full EG-DARTS search epoch on Fashion-MNIST, 25 000 / 25 000 (--train-limit 50000: 390 steps of α + weights,
# then the validation pass), C = 16, 5 cells, batch 64, 2 threads, timed whole. Other jobs paused (SIGSTOP).
# Usage: BIN=.../nasbench OUT=<dir> run.sh
B=${BIN:?nasbench executable}; O=${OUT:-/tmp/search-full-epoch}
/usr/bin/time -v $B search --stage block --algorithm eg-darts --dataset fashion-mnist --epochs 1 --init-channels 16 \
  --layers 5 --batch-size 64 --train-limit 50000 --seed 42 --threads 2 --no-progress --output $O --name eg-full-epoch
