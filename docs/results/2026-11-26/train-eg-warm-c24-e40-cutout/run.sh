#!/bin/bash
# The EG-DARTS --arch-warmup 1 cell at C = 24, 8 cells, 40 epochs with cutout on full Fashion-MNIST (toward 94 %;
# the 20-epoch run without cutout reached 93.62 % with 95.4 % train accuracy).
# Resumable: rerun with --resume appended (threads may change between runs).
B=${BIN:-/work/bin-late/nasbench}; T=/work/longruns/train
G=/work/main/docs/results/2026-11-26/search-c8-5k/eg-warm/genotype.json
/usr/bin/time -v $B train --genotype $G --epochs 40 --init-channels 24 --layers 8 --cutout --cutout-length 8 --threads ${THREADS:-2} --no-progress --output $T --name eg-warm-c24-e40-cutout "$@" >> $T/eg-warm-c24-e40-cutout.log 2>> $T/eg-warm-c24-e40-cutout.err
