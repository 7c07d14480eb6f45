#!/bin/bash
# The side-by-side figures the issues ask for, ours and the peer in the same run, one after the other:
#   mixed op [64,16,28,28] fwd+bwd at 1T (thread CPU clock) and 2T (wall), supernet step at 2T (wall) with peak RSS,
#   SGEMM squares and per-image conv GEMMs at 1T and 2T against OpenBLAS.
# usage: benchmarks/peers/side_by_side.sh OUTDIR [mixedop] [supernet] [sgemm]   (default: all)
# Needs Debian's python3-torch (/usr/bin/python3) and libopenblas-dev. Run it on a quiet machine.
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:?usage: side_by_side.sh OUTDIR [mixedop] [supernet] [sgemm]}; shift
parts=${*:-mixedop supernet sgemm}
mkdir -p "$out"
peers="$root/../shared/peers"
[ -d "$peers" ] || peers=/work/shared/peers
dotnet build "$root/benchmarks/NasBench.Benchmarks" -c Release -v q -nologo > /dev/null
bench="dotnet $root/benchmarks/NasBench.Benchmarks/bin/Release/net10.0/NasBench.Benchmarks.dll"
{ date -u; grep -m1 "model name" /proc/cpuinfo; nproc; uptime; git -C "$root" log --oneline -1; } > "$out/machine.txt"
# ROUNDS=N (default 1) repeats the mixed-op and supernet pairs N times, the peer then ours each time, so both see the
# same stretch of a noisy shared machine; ratios.txt gives each round's min/min ratio and their median.
# KEPT="0 2" (default "0") runs our supernet step once per value of KEPT_CELLS in each round (the last K cells keep
# their activations instead of recomputing them; peak RSS is printed beside each), ratios reported per value.
rounds=${ROUNDS:-1}
for part in $parts; do
  case $part in
    mixedop)
      : > "$out/mixedop-1t.txt"; : > "$out/mixedop-2t.txt"
      for ((r = 1; r <= rounds; r++)); do
        (cd "$peers" && OMP_NUM_THREADS=1 /usr/bin/python3 "$root/benchmarks/peers/torch_mixedop_cpu.py" 9) | tee -a "$out/mixedop-1t.txt"
        CPUCLOCK=1 $bench mixedop-time 1 9 | tee -a "$out/mixedop-1t.txt"
        (cd "$peers" && OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2 /usr/bin/python3 torch_mixedop.py 2) | head -2 | tee -a "$out/mixedop-2t.txt"
        $bench mixedop-time 2 9 | tee -a "$out/mixedop-2t.txt"
      done
      ;;
    supernet)
      : > "$out/supernet-2t.txt"
      for ((r = 1; r <= rounds; r++)); do
        (cd "$peers" && OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2 /usr/bin/python3 torch_supernet.py 2 3) | tee -a "$out/supernet-2t.txt"
        for k in ${KEPT:-0}; do
          KEPT_CELLS=$k $bench supernet-time 2 3 2 | tee -a "$out/supernet-2t.txt"
        done
      done
      ;;
    sgemm)
      shapes="256x256x256 512x512x512 1024x1024x1024 2048x2048x2048 16x784x144 16x1024x144 32x784x288 32x196x288 64x784x576 64x196x576 64x49x576"
      CPUCLOCK=1 bash "$root/benchmarks/peers/compare_sgemm.sh" 1 $shapes | tee "$out/sgemm-1t.txt"
      bash "$root/benchmarks/peers/compare_sgemm.sh" 2 $shapes | tee "$out/sgemm-2t.txt"
      ;;
  esac
done
# Per-round ratios (peer min / our min) of every pair that ran, and their median.
{
  for f in mixedop-1t mixedop-2t supernet-2t; do
    [ -s "$out/$f.txt" ] || continue
    awk -v name="$f" '
      /^torch mixed op .*fwd\+bwd/ || /^MIXED OP/ { for (i = 1; i < NF; i++) if ($i == "fwd+bwd") peer = $(i + 2) + 0 }
      /^torch mixed op .*fwd\+bwd/ { for (i = 1; i < NF; i++) if ($i == "min") peer = $(i + 1) + 0 }
      /^mixed op .*fwd\+bwd/ { for (i = 1; i < NF; i++) if ($i == "min") { ours = $(i + 1) + 0; r[++n] = peer / ours } }
      /^nasbench threads=/ { for (i = 1; i <= NF; i++) if ($i ~ /^keptCells=/) { split($i, kv, "="); kept = kv[2] } }
      /^weight step fwd\+bwd\+SGD/ { for (i = 1; i < NF; i++) if ($i == "min") v = $(i + 1) + 0
                                       if (/GFLOP/) peer = v; else { key = "keptCells=" kept; if (!(key in m)) keys[++nk] = key
                                                                     rk[key, ++m[key]] = peer / v } }
      END { for (q = 1; q <= nk; q++) { key = keys[q]; for (i = 1; i <= m[key]; i++) r[++n] = rk[key, i]; report(name " " key) }
            report(name) }
      function report(label,   line, i, j, t, med, s) {
            if (n == 0) return
            line = ""; for (i = 1; i <= n; i++) { line = line sprintf(" %.2f", r[i]); s[i] = r[i] }
            for (i = 2; i <= n; i++) for (j = i; j > 1 && s[j - 1] > s[j]; j--) { t = s[j]; s[j] = s[j - 1]; s[j - 1] = t }
            med = n % 2 ? s[(n + 1) / 2] : (s[n / 2] + s[n / 2 + 1]) / 2
            printf "%s: peer/ours per round%s; median %.2f\n", label, line, med; n = 0 }' "$out/$f.txt"
  done
} | tee "$out/ratios.txt"
