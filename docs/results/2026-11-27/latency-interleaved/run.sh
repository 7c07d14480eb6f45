#!/bin/bash
# The interleaved latency study (issue 4: share within ±10 %): 200 random DARTS networks (C = 8, 5 cells, 1x28x28,
# batch 1) and the 56 table entries of the space, measured together in 60 shuffled sweeps (shared-s*: both targets in
# the same sweeps, the study verb's behaviour now; quiet-s* and loaded-s42: one target after the other).
#   BIN      published nasbench (dotnet publish src/NasBench.Cli -c Release -o DIR)
#   SEED     genotype sample and sweep order (42 and 7 here)
#   OUT      study directory (resumes from its checkpoint)
# Other jobs on the machine were paused (SIGSTOP) for the "quiet" runs and left running for the "loaded" run.
set -euo pipefail
BIN=${BIN:-nasbench}
SEED=${SEED:-42}
OUT=${OUT:-quiet-s$SEED}
cd "$(dirname "$0")"
echo "# $(date -u) load $(cut -d' ' -f1-3 /proc/loadavg)" > "$OUT.log" 2>/dev/null || { mkdir -p "$OUT"; echo "# $(date -u)" > "$OUT.log"; }
/usr/bin/time -v "$BIN" latency study --count 200 --targets cpu-1t,cpu --clock thread-cpu --interleave 60 \
    --seed "$SEED" --output "$OUT" --no-progress > "$OUT/stdout.md" 2>> "$OUT.log"
echo "# $(date -u) load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT.log"
