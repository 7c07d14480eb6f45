#!/bin/bash
# Copies the baseline runs' directories (config, genotype, history, log, latest checkpoint) from OUT (default
# /work/longruns/train) into state/ beside this script, so a later session on a new machine resumes them (run.sh
# restores them). Stop the runs first (see run.sh) so the checkpoint is the latest.
T=${OUT:-/work/longruns/train}; D=$(cd "$(dirname "$0")" && pwd)/state
for run in darts-c24-e20 random-c24-e20; do
  [ -d "$T/$run/checkpoints" ] || continue
  rm -rf "$D/$run" && mkdir -p "$D/$run/checkpoints"
  cp "$T/$run"/{config.json,genotype.json,history.csv,log.txt} "$D/$run/" 2>/dev/null
  cp "$T/$run/checkpoints/latest.ckpt" "$D/$run/checkpoints/"
  cp "$T/$run.log" "$D/$run.log" 2>/dev/null
  echo "saved $run: $(tail -n +2 "$D/$run/history.csv" | wc -l) epochs in history, checkpoint $(du -h "$D/$run/checkpoints/latest.ckpt" | cut -f1)"
done
