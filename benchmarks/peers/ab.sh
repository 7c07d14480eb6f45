#!/bin/bash
# A/B timing of two builds of the benchmarks in alternating pairs, the way every "paired runs" figure of
# docs/performance-log.md was taken: OLD, NEW, OLD, NEW, ... so both see the same stretch of a noisy shared machine.
# usage: benchmarks/peers/ab.sh OLD_DIR NEW_DIR PAIRS PATTERN -- VERB ARGS...
#   OLD_DIR / NEW_DIR: published benchmark folders (dotnet publish benchmarks/NasBench.Benchmarks -c Release -o DIR)
#   PATTERN: a grep -E pattern for the one output line to compare; its first "min <value>" is the figure
#   e.g. CPUCLOCK=1 benchmarks/peers/ab.sh /work/bench-old /work/bench-new 5 'weight step fwd' -- supernet-time 1 3 1
# Prints each pair (old, new, new/old) and the geometric mean of the ratios; a pair whose two figures differ by more
# than SLOW (default 1.25×) is marked '?': on this guest that is usually one of the pair landing in a slow spell, not
# the change. Pause other jobs first (CPUCLOCK=1 measures thread CPU time, which a busy neighbour still inflates).
# OLD_ENV / NEW_ENV: environment assignments for one side only, e.g. to time one build with a switch off and on:
#   OLD_ENV="BATCH_MINOR=0" CPUCLOCK=1 benchmarks/peers/ab.sh DIR DIR 5 'weight step fwd' -- supernet-time 1 3 1
set -e
old=${1:?usage: ab.sh OLD_DIR NEW_DIR PAIRS PATTERN -- VERB ARGS...}; new=${2:?}; pairs=${3:?}; pattern=${4:?}
shift 4; [ "$1" = "--" ] && shift
[ $# -gt 0 ] || { echo "ab.sh: no benchmark verb after --" >&2; exit 2; }
for dir in "$old" "$new"; do
  [ -f "$dir/NasBench.Benchmarks.dll" ] || { echo "ab.sh: $dir has no NasBench.Benchmarks.dll (publish a build there)" >&2; exit 2; }
done
figure() {
  local line side_env=$1; shift
  line=$(env $side_env dotnet "$1/NasBench.Benchmarks.dll" "${@:2}" 2>&1 | grep -E -m1 "$pattern") ||
    { echo "ab.sh: no line matching '$pattern' in the output of $1 ${*:2}" >&2; exit 3; }
  awk '{for (i = 1; i < NF; i++) if ($i == "min") { print $(i + 1); exit }}' <<< "$line"
}
ratios=()
for ((p = 1; p <= pairs; p++)); do
  a=$(figure "${OLD_ENV:-}" "$old" "$@"); b=$(figure "${NEW_ENV:-}" "$new" "$@")
  r=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", b / a }')
  flag=$(awk -v r="$r" -v s="${SLOW:-1.25}" 'BEGIN { print (r > s || r < 1 / s) ? "?" : "" }')
  echo "pair $p  old $a  new $b  new/old $r $flag"
  [ -z "$flag" ] && ratios+=("$r")
done
if [ ${#ratios[@]} -gt 0 ]; then
  printf '%s\n' "${ratios[@]}" | awk '{ s += log($1); n++ } END { printf "geometric mean of %d unflagged pairs: %.3f\n", n, exp(s / n) }'
else
  echo "every pair was flagged: no ratio to report"
fi
