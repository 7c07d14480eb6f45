#!/bin/bash
# Issue 3's equal-budget baselines trained like the EG-DARTS cell of ../train-eg-warm-c24/ (C = 24, 8 cells,
# 20 epochs, DARTS recipe, no cutout): the DARTS first-order cell and the random-search cell of ../search-c8-5k/
# (same supernet, same 5 k / 5 k data, same number of passes). One after the other; rerunning resumes each run that
# has a checkpoint (threads and build may change between runs; results do not depend on either).
# Stop it by killing this script first (SIGKILL), then SIGTERM to the nasbench process (it writes a checkpoint and
# exits 130); a SIGTERM to nasbench alone would let the loop start the next run.
# The machine may not outlive a session: save-state.sh copies each run directory (checkpoint included, ~4 MB) into
# state/ here to be committed, and this script restores it on a machine that lacks it.
# Usage: BIN=.../nasbench THREADS=2 run.sh; ALGS=darts or ALGS=random runs one of them (two side by side at
# THREADS=1 each use 2 cores better than one after the other at 2 threads).
B=${BIN:-/work/bin-night2/nasbench}; T=${OUT:-/work/longruns/train}
R=$(cd "$(dirname "$0")/.." && pwd); mkdir -p "$T"
for alg in ${ALGS:-darts random}; do
  # A new machine starts without $T: restore the run directory that save-state.sh committed beside this script.
  [ ! -d "$T/$alg-c24-e20" ] && [ -d "$R/train-baselines-c24/state/$alg-c24-e20" ] && mkdir -p "$T" &&
    cp -r "$R/train-baselines-c24/state/$alg-c24-e20" "$T/"
  resume=(); [ -d "$T/$alg-c24-e20/checkpoints" ] && resume=(--resume)
  /usr/bin/time -v $B train --genotype $R/search-c8-5k/$alg/genotype.json --epochs 20 --init-channels 24 --layers 8 \
    --threads ${THREADS:-2} --no-progress --output $T --name $alg-c24-e20 "${resume[@]}" "$@" >> $T/$alg-c24-e20.log 2>> $T/$alg-c24-e20.err
done
