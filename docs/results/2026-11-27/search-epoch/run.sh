#!/bin/bash
# Search-epoch rate (19 steps of weights + α on full-data batches, then the validation pass) at 2 threads, the
# night's build (OLD, 0089316) and this session's (NEW) alternating. Usage: OLD=dir NEW=dir run.sh OUT ROUNDS
OUT=${1:?out dir}; ROUNDS=${2:-2}
mkdir -p "$OUT"
for r in $(seq 1 "$ROUNDS"); do
  for b in old new; do
    bin=$([ $b = old ] && echo "$OLD" || echo "$NEW")
    rm -rf "$OUT/run-$b-$r"
    /usr/bin/time -v "$bin/nasbench" search --algorithm eg-darts --epochs 1 --init-channels 16 --layers 5 \
      --batch-size 64 --train-limit 2560 --threads 2 --no-progress --output "$OUT/run-$b-$r" --name s \
      > "$OUT/log-$b-$r.txt" 2> "$OUT/err-$b-$r.txt"
    echo "round $r $b: $(grep -E 'Elapsed|Maximum resident' "$OUT/err-$b-$r.txt" | tr -s ' ' | tr '\n' ' ')"
  done
done
