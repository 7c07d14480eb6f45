#!/usr/bin/env bash
# Runs on the device machine, from the repository root, after pack.sh built .device-build/ here:
#   device run, carry [".device-build"], command: bash tools/NasBench.DeviceCheck/device-run.sh
# Unpacks the carried runtime and apps, puts NVRTC on the loader path, then runs the GPU/NVRTC tests and the CUDA
# timings (cuda-time: each CUDA kernel against its CPU twin on the same operands; the BenchmarkDotNet CUDA classes).
# $OUT gets machine.txt, tests.txt, cuda-time.md, bdn.md and results.tar.gz (every JSON and log).
# REPS (default 20) sets cuda-time's repetitions; BDN=0 skips BenchmarkDotNet; ALL_TESTS=1 also runs every kernel test on the device's CPU.
set -uo pipefail
OUT=${OUT:-/tmp/nasbench-device-out}
mkdir -p "$OUT"
work=/tmp/nasbench-device
rm -rf "$work" && mkdir -p "$work/dotnet"
tar -C "$work/dotnet" -xJf .device-build/runtime.tar.xz
tar -C "$work" -xJf .device-build/apps.tar.xz
export DOTNET_ROOT="$work/dotnet" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet="$work/dotnet/dotnet"

# The CUDA image ships NVRTC inside Python packages, not on the loader's default path.
for lib in libnvrtc.so.13 libnvrtc.so.12 libcuda.so.1; do
    if ! ldconfig -p | grep -q "$lib "; then
        found=$(find /usr /opt /lib -name "$lib*" 2>/dev/null | grep -v stubs | head -1)
        [ -n "$found" ] && export LD_LIBRARY_PATH="$(dirname "$found")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    fi
done
echo "LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}"
{
    nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm,clocks.max.mem --format=csv
    lscpu | grep -E 'Model name|^CPU\(s\)'
} > "$OUT/machine.txt" 2>&1
cat "$OUT/machine.txt"
keep="$work/results"   # everything in full; $OUT takes few files, so the details travel as one tarball
mkdir -p "$keep"

"$dotnet" "$work/devicecheck/NasBench.DeviceCheck.dll" --json "$keep/tests.json" 2>&1 | tee "$OUT/tests.txt"
tests_rc=${PIPESTATUS[0]}
"$dotnet" "$work/benchmarks/NasBench.Benchmarks.dll" cuda-time "${REPS:-20}" \
    --json "$keep/cuda-time.json" --markdown "$OUT/cuda-time.md" 2>&1 | tee "$keep/cuda-time.txt"
time_rc=${PIPESTATUS[0]}
# BenchmarkDotNet's CUDA classes, in process (there is no SDK to build its usual child project).
# It writes BenchmarkDotNet.Artifacts/ in the current folder.
bdn_rc=-
if [ "${BDN:-1}" = 1 ]; then
    (cd "$keep" && "$dotnet" "$work/benchmarks/NasBench.Benchmarks.dll" --filter '*Cuda*' --inProcess \
        --job "${BDN_JOB:-short}" > "$keep/bdn.txt" 2>&1)
    bdn_rc=$?
    cat "$keep"/BenchmarkDotNet.Artifacts/results/*-report-github.md > "$OUT/bdn.md" 2>/dev/null
fi
all_rc=-
if [ "${ALL_TESTS:-0}" = 1 ]; then
    "$dotnet" "$work/devicecheck/NasBench.DeviceCheck.dll" --all > "$keep/all-tests.txt" 2>&1
    all_rc=$?
    tail -3 "$keep/all-tests.txt"; grep -A3 '^FAIL' "$keep/all-tests.txt" | head -40
fi
tar -C "$work" -czf "$OUT/results.tar.gz" results
echo "device-run: tests rc=$tests_rc, cuda-time rc=$time_rc, bdn rc=$bdn_rc, all tests rc=$all_rc"
[ "$tests_rc" = 0 ] && [ "$time_rc" = 0 ] && { [ "$bdn_rc" = - ] || [ "$bdn_rc" = 0 ]; } && { [ "$all_rc" = - ] || [ "$all_rc" = 0 ]; }
