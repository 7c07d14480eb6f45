#!/bin/bash
# Three chains sharing the 2 cores (see comments in searchS.sh / trainA3.sh for the settings).
B=/work/bin-train/nasbench        # wrapper: train runs 1 epoch
S=/work/longruns/search; T=/work/longruns/train; O=/work/longruns/split60k-b
common="--epochs 3 --init-channels 8 --layers 5 --batch-size 64 --train-limit 10000 --seed 42 --threads 1 --no-progress --output $S"
train() { /usr/bin/time -v $B train --genotype $S/$1/genotype.json --epochs 1 --init-channels 16 --layers 8 --threads 1 --no-progress --output $T --name $1 > $T/$1.log 2> $T/$1.err; }
waitpid() { while kill -0 $1 2>/dev/null; do sleep 20; done; }
split() { /usr/bin/time -v /work/bin-split2/nasbench split --net mobilenet --mode $1 --budget-macs 2e6 --rounds 3 --epochs 2 --seed 42 --threads 1 --no-progress --retrain-epochs 8 --output $O/$1 > $O/$1.log 2> $O/$1.err; }
mkdir -p $T
# Chain A: the running growth run (fast), then train the EG-DARTS cell, then the uniform baseline.
( waitpid $1; while pgrep -f "name eg\b" > /dev/null; do sleep 20; done; train eg; split uniform;
  /work/bin-split2/nasbench split --net mobilenet --mode fast --budget-macs 2e6 --rounds 3 --epochs 2 --seed 42 --threads 1 --no-progress --retrain-epochs 8 --output $O/fast --resume --compare $O/uniform /work/longruns/split60k/exact > $O/final.log 2>&1 ) &
# Chain X: DARTS first-order search, then its cell.
( /usr/bin/time -v $B search --algorithm darts $common --name darts > $S/darts.log 2> $S/darts.err; train darts ) &
# Chain Y: after the EG-DARTS search, random search under the same budget, then its cell.
( waitpid $2; /usr/bin/time -v $B search --algorithm random $common --name random > $S/random.log 2> $S/random.err; train random ) &
wait
