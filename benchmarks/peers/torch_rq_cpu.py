"""10 Rayleigh-quotient iterations (batched mat-vec, as shared/peers/torch_eigh.py) on 64 symmetric d×d fp32
matrices, timed with the calling thread's CPU clock (pair with CPUCLOCK=1 rq-time 1 D...).
Usage: OMP_NUM_THREADS=1 /usr/bin/python3 torch_rq_cpu.py D..."""
import sys, time, torch
torch.set_num_threads(1)
torch.manual_seed(0)
for d in [int(a) for a in sys.argv[1:]]:
    X = torch.randn(64, d, d, dtype=torch.float64)
    A = ((X + X.transpose(-1, -2)) / (2 * d ** 0.5)).float()
    del X
    ts = []
    for rep in range(6):
        v = torch.randn(64, d, 1)
        t0 = time.thread_time()
        for _ in range(10):
            Av = torch.bmm(A, v)
            rq = (v * Av).sum(1, keepdim=True)
            v = v - 0.5 * (Av - rq * v)
            v = v / v.norm(dim=1, keepdim=True)
        if rep: ts.append((time.thread_time() - t0) * 1e3)
    ts.sort()
    print(f"torch RQ x10 x64 d={d:5d} 1T (thread CPU): min {ts[0]:8.1f} ms  med {ts[len(ts)//2]:8.1f} ms")
