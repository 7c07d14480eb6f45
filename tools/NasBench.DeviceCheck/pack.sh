#!/usr/bin/env bash
# Builds, here, what the lent device machine needs to run our CUDA tests and timings: it has a GPU and a driver but no
# .NET. Into .device-build/ (ignored by git; name it in the device tool's `carry`):
#   runtime.tar.xz  the .NET runtime this SDK runs on (host, hostfxr, Microsoft.NETCore.App)
#   apps.tar.xz     this runner and the benchmarks, published framework-dependent
# xz keeps the two under the device tool's 64 MiB carry limit together with the working tree (about 55 MiB in all).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=.device-build
rm -rf "$out"
mkdir -p "$out/apps"
root=$(dirname "$(readlink -f "$(command -v dotnet)")")
fx=$(ls "$root/shared/Microsoft.NETCore.App" | sort -V | tail -1)
tar -C "$root" -cJf "$out/runtime.tar.xz" dotnet host/fxr "shared/Microsoft.NETCore.App/$fx"
dotnet publish tools/NasBench.DeviceCheck -c Release --no-self-contained -p:UseAppHost=false \
    -o "$out/apps/devicecheck" -v quiet -nologo
dotnet publish benchmarks/NasBench.Benchmarks -c Release --no-self-contained -p:UseAppHost=false \
    -o "$out/apps/benchmarks" -v quiet -nologo
tar -C "$out/apps" -cJf "$out/apps.tar.xz" devicecheck benchmarks
rm -rf "$out/apps"
du -h "$out"/*
