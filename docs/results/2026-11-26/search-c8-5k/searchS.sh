#!/bin/bash
# Core B: the three block searches (C8, 5 cells, 5k/5k of Fashion-MNIST, 3 epochs, 1 thread), then train the random cell.
B=/work/bin-train/nasbench
O=/work/longruns/search
mkdir -p $O
common="--epochs 3 --init-channels 8 --layers 5 --batch-size 64 --train-limit 10000 --seed 42 --threads 1 --no-progress --output $O"
/usr/bin/time -v $B search --algorithm eg-darts --cost params $common --name eg > $O/eg.log 2> $O/eg.err
/usr/bin/time -v $B search --algorithm darts $common --name darts > $O/darts.log 2> $O/darts.err
/usr/bin/time -v $B search --algorithm random $common --name random > $O/random.log 2> $O/random.err
T=/work/longruns/train; mkdir -p $T
/usr/bin/time -v $B train --genotype $O/random/genotype.json --epochs 2 --init-channels 16 --layers 8 --threads 1 --no-progress --output $T --name random > $T/random.log 2> $T/random.err
