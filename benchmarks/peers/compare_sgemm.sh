#!/bin/bash
# Side-by-side SGEMM: OpenBLAS (sgemm_shapes.c) and NasBench (sgemm-time), same shapes, same timing loop.
# usage: benchmarks/peers/compare_sgemm.sh THREADS SHAPE...   (SHAPE = MxNxK or MxNxKxTT; CPUCLOCK=1 for thread CPU time)
# ROUNDS=N (default 1) alternates the two N times per shape, OpenBLAS then NasBench, so both see the same
# stretch of a noisy shared machine; the summary gives each round's best/best ratio and the ratio of the bests.
# OpenBLAS 0.3.21 detects the Xeon guest as "Prescott" (SSE3 kernels) and the Zen 5 guest as Haswell (AVX2), and the
# Zen 5 guest also exports OPENBLAS_CORETYPE=Haswell; OPENBLAS_CORETYPE=Cooperlake gives it its AVX-512
# kernels, as on the Zen 4 of peers.md. An inherited OPENBLAS_CORETYPE is ignored; choose another core type with
# PEER_OPENBLAS_CORETYPE.
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
gcc -O3 -march=native "$root/benchmarks/peers/sgemm_shapes.c" -o /tmp/sgemm_shapes \
  -I/usr/include/x86_64-linux-gnu/openblas-pthread -L/usr/lib/x86_64-linux-gnu/openblas-pthread -lopenblas -lm
dotnet build "$root/benchmarks/NasBench.Benchmarks" -c Release -v q -nologo > /dev/null
t=$1; shift
log=$(mktemp)
for shape in "$@"; do
  for ((r = 1; r <= ${ROUNDS:-1}; r++)); do
    OPENBLAS_CORETYPE=${PEER_OPENBLAS_CORETYPE:-Cooperlake} /tmp/sgemm_shapes "$t" "$shape" | sed 's/^/OpenBLAS  /' | tee -a "$log"
    dotnet "$root/benchmarks/NasBench.Benchmarks/bin/Release/net10.0/NasBench.Benchmarks.dll" sgemm-time "$t" "$shape" \
      | sed 's/^/NasBench  /' | tee -a "$log"
  done
done
# Summary: the shape is the 2nd field for both peers; best GF/s is the 4th field from the end, median the 1st.
awk '{ key = $2; best = $(NF-4); med = $(NF-1)
       if ($1 == "OpenBLAS") { ob = best; obm = med } else {
         ratios[key] = ratios[key] sprintf(" %.2f", best / ob); medr[key] = medr[key] sprintf(" %.2f", med / obm)
         if (!(key in nb)) keys[++n] = key
         if (best > nb[key]) nb[key] = best; if (ob > obb[key]) obb[key] = ob } }
     END { print "\nshape  best/best per round | median/median per round | best of rounds: NasBench / OpenBLAS = ratio"
           for (i = 1; i <= n; i++) { k = keys[i]; printf "%s %dT |%s |%s | %.1f / %.1f = %.2f\n", k, t, ratios[k], medr[k], nb[k], obb[k], nb[k] / obb[k] } }' \
  t="$t" "$log"
rm -f "$log"
