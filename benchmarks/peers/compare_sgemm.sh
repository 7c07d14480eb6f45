#!/bin/bash
# Side-by-side SGEMM: OpenBLAS (sgemm_shapes.c) then NasBench (sgemm-time), same shapes, same timing loop.
# usage: benchmarks/peers/compare_sgemm.sh THREADS SHAPE...   (SHAPE = MxNxK or MxNxKxTT; CPUCLOCK=1 for thread CPU time)
# OpenBLAS 0.3.21 detects this Xeon as "Prescott" (SSE3 kernels); OPENBLAS_CORETYPE=Cooperlake gives it its AVX-512
# kernels, as on the Zen 4 of peers.md. Override by exporting OPENBLAS_CORETYPE.
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
gcc -O3 -march=native "$root/benchmarks/peers/sgemm_shapes.c" -o /tmp/sgemm_shapes \
  -I/usr/include/x86_64-linux-gnu/openblas-pthread -L/usr/lib/x86_64-linux-gnu/openblas-pthread -lopenblas -lm
dotnet build "$root/benchmarks/NasBench.Benchmarks" -c Release -v q -nologo > /dev/null
t=$1; shift
OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-Cooperlake} /tmp/sgemm_shapes "$t" "$@" | sed 's/^/OpenBLAS  /'
dotnet "$root/benchmarks/NasBench.Benchmarks/bin/Release/net10.0/NasBench.Benchmarks.dll" sgemm-time "$t" "$@" | sed 's/^/NasBench  /'
