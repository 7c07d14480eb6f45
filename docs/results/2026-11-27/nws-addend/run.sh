#!/bin/bash
# The folded sum's addend and the gradient-only recomputation against the build before (pairs.txt): supernet weight
# step at 1 thread (thread CPU clock) and 2 threads (wall). OLD and NEW are published benchmark folders; pause other
# jobs first.
R=$(cd "$(dirname "$0")/../../../.." && pwd); OLD=${OLD:-/work/bench-old}; NEW=${NEW:-/work/bench-nws}
CPUCLOCK=1 "$R/benchmarks/peers/ab.sh" "$OLD" "$NEW" 7 'weight step fwd' -- supernet-time 1 3 1
"$R/benchmarks/peers/ab.sh" "$OLD" "$NEW" 3 'weight step fwd' -- supernet-time 2 3 2
