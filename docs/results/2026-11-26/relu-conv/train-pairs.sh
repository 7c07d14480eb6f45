#!/bin/bash
# Old (HEAD before the fused ReLU → conv) and new builds of `nasbench train` alternating: the EG-DARTS warm-up cell at
# C = 24, 8 cells, batch 96, 1 920 training images (20 steps) and 192 test images, 1 thread; CPU seconds (user+sys)
# of the whole process and the epoch's training seconds from history.csv.
# Usage: OLD=/work/cli-old NEW=/work/cli-new ./train-pairs.sh PAIRS > pairs.txt
G=$(dirname "$0")/../search-c8-5k/eg-warm/genotype.json
T=$(mktemp -d)
for i in $(seq 1 ${1:-3}); do
  for b in old new; do
    dir=$([ $b = old ] && echo $OLD || echo $NEW)
    /usr/bin/time -f "%U %S %M" -o $T/time dotnet $dir/nasbench.dll train --genotype $G --epochs 1 --init-channels 24 \
      --layers 8 --cutout --cutout-length 8 --threads 1 --no-progress --output $T --name $b-$i --train-limit 1920 \
      --test-limit 192 > /dev/null 2>&1
    read u s m < $T/time
    ep=$(tail -1 $T/$b-$i/history.csv | cut -d, -f8)
    echo "pair $i $b: cpu $(echo "$u + $s" | bc) s, train epoch ${ep:0:6} s, peak RSS $((m / 1024)) MiB"
  done
done
rm -rf $T
