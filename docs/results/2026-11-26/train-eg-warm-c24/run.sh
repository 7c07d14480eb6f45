#!/bin/bash
# The EG-DARTS --arch-warmup 1 cell at C = 24, 8 cells, 20 epochs on full Fashion-MNIST (toward the 94 % goal).
# Resumable: rerun with --resume appended (threads may change between runs).
B=${BIN:-/work/bin-now/nasbench}; T=/work/longruns/train
G=/work/main/docs/results/2026-11-26/search-c8-5k/eg-warm/genotype.json
/usr/bin/time -v $B train --genotype $G --epochs 20 --init-channels 24 --layers 8 --threads ${THREADS:-1} --no-progress --output $T --name eg-warm-c24-e20 "$@" >> $T/eg-warm-c24-e20.log 2>> $T/eg-warm-c24-e20.err
