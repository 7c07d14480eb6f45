// Batched Rayleigh-quotient eigen-estimation for neuron splitting (DESIGN.md §2 hot path 2, splitting.md §3).
// One block per matrix b of a batch of symmetric d x d matrices S [B, d, d] (row-major) and vectors v [B, d]:
//   u = S v,  lambda = v.u / v.v,  g = 2 (u - lambda v) / v.v,  v <- v - eta g,  v <- v / |v|
// lambda is that of the pre-update v. The mat-vec streams S once (one warp per row, coalesced); v and u live in
// dynamic shared memory (2 d floats). Scalar reductions are in double. A zero v is left unchanged with lambda 0.
// blockDim.x must be a multiple of 32 and at most 1024.

__device__ __forceinline__ float rq_warp_sum(float v)
{
    for (int offset = 16; offset > 0; offset >>= 1)
    {
        v += __shfl_down_sync(0xffffffffu, v, offset);
    }
    return v;
}

__device__ __forceinline__ double rq_warp_sum_double(double v)
{
    for (int offset = 16; offset > 0; offset >>= 1)
    {
        v += __shfl_down_sync(0xffffffffu, v, offset);
    }
    return v;
}

// Returns the block-wide sum to every thread; the fixed summation order makes it deterministic.
__device__ double rq_block_sum(double v, double* scratch)
{
    v = rq_warp_sum_double(v);
    __syncthreads();
    if ((threadIdx.x & 31) == 0)
    {
        scratch[threadIdx.x >> 5] = v;
    }
    __syncthreads();
    double total = 0.0;
    int warps = blockDim.x >> 5;
    for (int w = 0; w < warps; ++w)
    {
        total += scratch[w];
    }
    return total;
}

__device__ void rq_load(const float* v, float* vs, int d)
{
    for (int i = threadIdx.x; i < d; i += blockDim.x)
    {
        vs[i] = v[i];
    }
    __syncthreads();
}

__device__ void rq_matvec(const float* s, const float* vs, float* us, int d)
{
    int lane = threadIdx.x & 31;
    int warps = blockDim.x >> 5;
    for (int r = threadIdx.x >> 5; r < d; r += warps)
    {
        const float* row = s + (long long)r * d;
        float acc = 0.0f;
        for (int c = lane; c < d; c += 32)
        {
            acc = fmaf(row[c], vs[c], acc);
        }
        acc = rq_warp_sum(acc);
        if (lane == 0)
        {
            us[r] = acc;
        }
    }
    __syncthreads();
}

// lambda from (vs, us); when step is nonzero also the gradient step and renormalisation, written to v.
__device__ void rq_finish(float* vs, const float* us, int d, int step, float eta, float* v, float* lambda)
{
    __shared__ double scratch[32];
    double vu = 0.0, vv = 0.0;
    for (int i = threadIdx.x; i < d; i += blockDim.x)
    {
        vu += (double)vs[i] * us[i];
        vv += (double)vs[i] * vs[i];
    }
    vu = rq_block_sum(vu, scratch);
    vv = rq_block_sum(vv, scratch);
    double lam = vv > 0.0 ? vu / vv : 0.0;
    if (threadIdx.x == 0)
    {
        *lambda = (float)lam;
    }
    if (!step || vv <= 0.0)
    {
        return;
    }
    double scale = 2.0 * eta / vv;
    double nn = 0.0;
    for (int i = threadIdx.x; i < d; i += blockDim.x)
    {
        float next = (float)(vs[i] - scale * (us[i] - lam * vs[i]));
        vs[i] = next;
        nn += (double)next * next;
    }
    nn = rq_block_sum(nn, scratch);
    double inv = nn > 0.0 ? 1.0 / sqrt(nn) : 1.0;
    for (int i = threadIdx.x; i < d; i += blockDim.x)
    {
        v[i] = (float)(vs[i] * inv);
    }
}

extern "C" __global__ void rq_quotient(const float* s, const float* v, int d, float* lambda)
{
    extern __shared__ float shared[];
    float* vs = shared;
    float* us = shared + d;
    int b = blockIdx.x;
    rq_load(v + (long long)b * d, vs, d);
    rq_matvec(s + (long long)b * d * d, vs, us, d);
    rq_finish(vs, us, d, 0, 0.0f, 0, lambda + b);
}

extern "C" __global__ void rq_step(const float* s, float* v, int d, float eta, float* lambda)
{
    extern __shared__ float shared[];
    float* vs = shared;
    float* us = shared + d;
    int b = blockIdx.x;
    rq_load(v + (long long)b * d, vs, d);
    rq_matvec(s + (long long)b * d * d, vs, us, d);
    rq_finish(vs, us, d, 1, eta, v + (long long)b * d, lambda + b);
}

// The same update when u = S v comes from back-propagation (splitting.md §3.2) instead of an explicit S.
extern "C" __global__ void rq_step_from_products(float* v, const float* sv, int d, float eta, float* lambda)
{
    extern __shared__ float shared[];
    float* vs = shared;
    float* us = shared + d;
    int b = blockIdx.x;
    for (int i = threadIdx.x; i < d; i += blockDim.x)
    {
        vs[i] = v[(long long)b * d + i];
        us[i] = sv[(long long)b * d + i];
    }
    __syncthreads();
    rq_finish(vs, us, d, 1, eta, v + (long long)b * d, lambda + b);
}
