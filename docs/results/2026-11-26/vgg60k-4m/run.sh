#!/bin/bash
# VGG growth on full Fashion-MNIST to 4M MACs, 3 rounds x 2 epochs, final widths retrained 8 epochs; uniform, exact, signed beside fast.
B=${B:-nasbench}; O=${1:-runs/vgg60k-4m}
mkdir -p $O
for m in fast uniform exact signed; do
  $B split --net vgg --mode $m --budget-macs 4e6 --rounds 3 --epochs 2 --seed 42 --threads 1 --no-progress --retrain-epochs 8 --output $O/$m > $O/$m.log 2> $O/$m.err
done
$B split --net vgg --mode fast --budget-macs 4e6 --rounds 3 --epochs 2 --seed 42 --threads 1 --no-progress --retrain-epochs 8 --output $O/fast --resume --compare $O/uniform $O/exact $O/signed > $O/final.log 2>&1
