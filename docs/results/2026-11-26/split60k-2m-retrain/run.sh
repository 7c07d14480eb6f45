#!/bin/bash
# MobileNet growth on full Fashion-MNIST to 2M MACs, 3 rounds x 2 epochs, final widths retrained 8 epochs; uniform baseline; report with both.
O=${1:-runs/split60k-2m}
for m in fast uniform; do
  nasbench split --net mobilenet --mode $m --budget-macs 2e6 --rounds 3 --epochs 2 --seed 42 --threads 1 --no-progress --retrain-epochs 8 --output $O/$m
done
nasbench split --net mobilenet --mode fast --budget-macs 2e6 --rounds 3 --epochs 2 --seed 42 --threads 1 --no-progress --retrain-epochs 8 --output $O/fast --resume --compare $O/uniform
