#!/bin/bash
# Full 60k Fashion-MNIST growth curves, MobileNet, 3 rounds to 1M MACs, 1 epoch per round, 1 thread.
B=/work/bin-split/nasbench
O=/work/longruns/split60k
mkdir -p $O
for m in fast uniform exact; do
  /usr/bin/time -v $B split --net mobilenet --mode $m --budget-macs 1e6 --rounds 3 --epochs 1 --seed 42 --threads 1 --no-progress --output $O/$m > $O/$m.log 2> $O/$m.err
done
$B split --net mobilenet --mode fast --budget-macs 1e6 --rounds 3 --epochs 1 --seed 42 --threads 1 --no-progress --output $O/fast --resume --compare $O/uniform $O/exact > $O/final.log 2>&1
