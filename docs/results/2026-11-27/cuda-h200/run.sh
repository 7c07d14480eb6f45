#!/usr/bin/env bash
# How these files were made (2026-11-27, the lent H200 machine; 16-core Xeon host, driver 580.159.04, NVRTC 13.0).
# Here:   bash tools/NasBench.DeviceCheck/pack.sh
# There (device tool, carry [".device-build"]):
#   run 2: ALL_TESTS=1 BDN_JOB=short REPS=20 bash tools/NasBench.DeviceCheck/device-run.sh
#          -> bdn-short.md, cuda-time-before.md, all-kernel-tests-summary.txt (2554 kernel tests on the device host)
#   run 3 (after the multi-block Rayleigh-quotient products): BDN=0 REPS=20 bash tools/NasBench.DeviceCheck/device-run.sh
#          -> cuda-time-after.md, tests.txt (the 43 GPU and NVRTC tests)
exec bash tools/NasBench.DeviceCheck/device-run.sh
