"""DARTS mixed op on [64,16,28,28] (all 8 candidates, softmax weights), forward and forward+backward, timed with the
calling thread's CPU clock so a loaded shared machine does not inflate it (pair with CPUCLOCK=1 mixedop-time 1).
Usage: GLIBC_TUNABLES=... OMP_NUM_THREADS=1 /usr/bin/python3 torch_mixedop_cpu.py [reps]  (run from shared/peers)"""
import sys, time, torch, torch.nn.functional as F
sys.path.insert(0, '.')
from darts_ops import MixedOp
torch.set_num_threads(1)
torch.manual_seed(0)
reps = int(sys.argv[1]) if len(sys.argv) > 1 else 5
op = MixedOp(16, 1).train()
x = torch.randn(64, 16, 28, 28, requires_grad=True)
a = torch.randn(8, requires_grad=True)
def run(backward):
    t0 = time.thread_time()
    y = op(x, F.softmax(a, dim=-1))
    if backward: y.sum().backward()
    t = time.thread_time() - t0
    x.grad = None; a.grad = None; op.zero_grad(set_to_none=True)
    return t * 1e3
for backward in (False, True):
    run(backward)
    ts = sorted(run(backward) for _ in range(reps))
    print(f"torch mixed op [64,16,28,28] {'fwd+bwd' if backward else 'fwd    '} 1T (thread CPU): min {ts[0]:8.1f} ms  med {ts[len(ts)//2]:8.1f} ms")
