#!/usr/bin/env bash
# Runs the NasBench benchmarks; a thin wrapper (the bash twin of run-benchmarks.ps1); all logic lives in
# benchmarks/NasBench.Benchmarks.
#   ./run-benchmarks.sh --job Dry                        smoke: every benchmark builds and runs once
#   ./run-benchmarks.sh --filter '*Sgemm*' --job short --threads 1,2
#   ./run-benchmarks.sh --filter '*Sgemm*' --compare saved-results/   run, then compare against a saved run
# Other arguments go to BenchmarkDotNet unchanged (e.g. --list flat).
# Exit code: the benchmark run's; with --compare, 2 when the comparer finds a significant regression.
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"
project="$root/benchmarks/NasBench.Benchmarks"
artifacts="$root/BenchmarkDotNet.Artifacts"

filter='*' job='' threads='' compare='' rest=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --filter) filter="$2"; shift 2 ;;
        --job) job="$2"; shift 2 ;;
        --threads) threads="$2"; shift 2 ;;
        --compare) compare="$2"; shift 2 ;;
        *) rest+=("$1"); shift ;;
    esac
done

args=(--filter "$filter" --artifacts "$artifacts")
[[ -n "$job" ]] && args+=(--job "$job")
[[ -n "$threads" ]] && args+=(--threads "$threads")
dotnet run -c Release --project "$project" -- "${args[@]}" ${rest[@]+"${rest[@]}"}
[[ -z "$compare" ]] && exit 0

exec dotnet run -c Release --project "$project" -- compare "$compare" "$artifacts/results" --output "$artifacts"
