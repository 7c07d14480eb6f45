"""PyTorch peer for PoolingBenchmarks and BatchNormBenchmarks: 3x3 stride-1 pad-1 max/avg pooling
(count_include_pad=False) and training batch norm (affine=False), forward and backward alone, on the DARTS shapes.

Usage (same environment as /work/shared/peers/run_all.sh):
  T=1; GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=17179869184 \
  OMP_NUM_THREADS=$T OPENBLAS_NUM_THREADS=$T OMP_PROC_BIND=close /usr/bin/python3 benchmarks/peers/torch_poolbn.py $T
Prints one line per case: op, shape, threads, wall and thread-CPU min and median milliseconds.
"""
import statistics
import sys
import time

import torch
import torch.nn.functional as F


def timeit(fn, warmup=3, min_reps=15, min_time=1.5):
    """Wall and calling-thread CPU milliseconds (min, median). At 1 thread the op runs on the calling thread, so
    thread CPU time ignores preemption by other processes on a shared machine."""
    for _ in range(warmup):
        fn()
    wall, cpu, start = [], [], time.perf_counter()
    while len(wall) < min_reps or time.perf_counter() - start < min_time:
        c0, t0 = time.thread_time(), time.perf_counter()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.thread_time() - c0)
    ms = lambda v: (min(v) * 1e3, statistics.median(v) * 1e3)
    return ms(wall) + ms(cpu)


def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    ops = {
        "max_pool": lambda x: F.max_pool2d(x, 3, 1, 1),
        "avg_pool": lambda x: F.avg_pool2d(x, 3, 1, 1, count_include_pad=False),
        "bn_train": None,  # built per shape: needs running buffers
    }
    for shape in [(64, 16, 28, 28), (64, 32, 14, 14), (64, 64, 7, 7)]:
        c = shape[1]
        running_mean, running_var = torch.zeros(c), torch.ones(c)
        ops["bn_train"] = lambda x: F.batch_norm(x, running_mean, running_var, training=True, momentum=0.1, eps=1e-5)
        for name, op in ops.items():
            x = torch.rand(shape)
            with torch.no_grad():
                fwd = timeit(lambda: op(x))
            xg = x.clone().requires_grad_(True)
            y = op(xg)
            gy = torch.rand_like(y)
            bwd = timeit(lambda: torch.autograd.grad(y, xg, gy, retain_graph=True))
            tag = "x".join(map(str, shape))
            for kind, t in (("fwd", fwd), ("bwd", bwd)):
                print(f"{name:9s} {kind} {tag:12s} T{threads}  wall min {t[0]:8.3f} med {t[1]:8.3f}  "
                      f"thread-cpu min {t[2]:8.3f} med {t[3]:8.3f} ms", flush=True)


if __name__ == "__main__":
    main()
