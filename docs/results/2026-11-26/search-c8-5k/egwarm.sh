#!/bin/bash
# EG-DARTS with one epoch of weight-only warm-up (--arch-warmup 1), otherwise the search-c8-5k settings; then its cell, 1 epoch.
B=/work/bin-w/nasbench; S=/work/longruns/search; T=/work/longruns/train
/usr/bin/time -v $B search --algorithm eg-darts --cost params --arch-warmup 1 --epochs 3 --init-channels 8 --layers 5 --batch-size 64 --train-limit 10000 --seed 42 --threads 1 --no-progress --output $S --name eg-warm > $S/eg-warm.log 2> $S/eg-warm.err
/usr/bin/time -v $B train --genotype $S/eg-warm/genotype.json --epochs 1 --init-channels 16 --layers 8 --threads 1 --no-progress --output $T --name eg-warm > $T/eg-warm.log 2> $T/eg-warm.err
