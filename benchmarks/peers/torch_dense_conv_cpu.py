"""Dense 3x3 conv fwd and fwd+bwd, 1 thread, thread-CPU clock (pairs with tools/dense-conv-time.cs)."""
import time, torch, torch.nn.functional as F
torch.set_num_threads(1); torch.manual_seed(0)
for c, h in ((16, 28), (32, 14)):
    x = torch.randn(64, c, h, h, requires_grad=True); w = torch.randn(c, c, 3, 3, requires_grad=True); gy = torch.randn(64, c, h, h)
    for bwd in (False, True):
        ts = []
        for i in range(25):
            t0 = time.thread_time()
            y = F.conv2d(x, w, padding=1)
            if bwd: y.backward(gy)
            ts.append((time.thread_time() - t0) * 1e3); x.grad = None; w.grad = None
        ts.sort(); print(f"torch dense 3x3 [64,{c},{h},{h}] {'f+b' if bwd else 'fwd'}: min {ts[0]:.2f} med {ts[12]:.2f} ms")
