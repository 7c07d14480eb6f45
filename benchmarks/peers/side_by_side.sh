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
for part in $parts; do
  case $part in
    mixedop)
      (cd "$peers" && OMP_NUM_THREADS=1 /usr/bin/python3 "$root/benchmarks/peers/torch_mixedop_cpu.py" 9) | tee "$out/mixedop-1t.txt"
      CPUCLOCK=1 $bench mixedop-time 1 9 | tee -a "$out/mixedop-1t.txt"
      (cd "$peers" && OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2 /usr/bin/python3 torch_mixedop.py 2) | head -2 | tee "$out/mixedop-2t.txt"
      $bench mixedop-time 2 9 | tee -a "$out/mixedop-2t.txt"
      ;;
    supernet)
      (cd "$peers" && OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2 /usr/bin/python3 torch_supernet.py 2 3) | tee "$out/supernet-2t.txt"
      $bench supernet-time 2 3 2 | tee -a "$out/supernet-2t.txt"
      ;;
    sgemm)
      shapes="256x256x256 512x512x512 1024x1024x1024 2048x2048x2048 16x784x144 16x1024x144 32x784x288 32x196x288 64x784x576 64x196x576 64x49x576"
      CPUCLOCK=1 bash "$root/benchmarks/peers/compare_sgemm.sh" 1 $shapes | tee "$out/sgemm-1t.txt"
      bash "$root/benchmarks/peers/compare_sgemm.sh" 2 $shapes | tee "$out/sgemm-2t.txt"
      ;;
  esac
done
