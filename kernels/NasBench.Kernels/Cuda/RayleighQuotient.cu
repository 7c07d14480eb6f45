// Batched Rayleigh-quotient eigen-estimation for neuron splitting (DESIGN.md §2 hot path 2, splitting.md §3).
// A batch of symmetric d x d matrices S [B, d, d] (row-major) and vectors v [B, d]; one step per matrix is
//   u = S v,  lambda = v.u / v.v,  g = 2 (u - lambda v) / v.v,  v <- v - eta g,  v <- v / |v|
// with lambda that of the pre-update v; a zero v is left unchanged with lambda 0.
// Two kernels per step. rq_products streams S once to form u = S v, spread over several blocks per matrix so that a
// batch of 64 (or 16) matrices still occupies every multiprocessor: with one block per matrix the H200 reached only
// ~190 GB/s at d = 1152 (cuda-time, 2026-11-27), slower than 16 CPU cores. rq_step_from_products /
// rq_quotient_from_products then finish each matrix in one block from (v, u); that pass reads 2 d floats, not d^2.
// Scalar reductions are in double. blockDim.x must be a multiple of 32 and at most 1024.

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

// u[b, r] = S[b, r, :] . v[b, :] for the rows [blockIdx.y * rowsPerBlock, + rowsPerBlock) of matrix b = blockIdx.x.
// v is staged in dynamic shared memory (d floats). One warp per row; when d % 4 == 0 (rows then start 16-byte
// aligned, cuMemAlloc aligning the base to 256 bytes) the row is read as float4, four independent sums and the
// unrolled loop keeping several loads in flight.
extern "C" __global__ void rq_products(const float* s, const float* v, int d, int rowsPerBlock, float* u)
{
    extern __shared__ float vs[];
    int b = blockIdx.x;
    const float* vb = v + (long long)b * d;
    for (int i = threadIdx.x; i < d; i += blockDim.x)
    {
        vs[i] = vb[i];
    }
    __syncthreads();
    int lane = threadIdx.x & 31;
    int warps = blockDim.x >> 5;
    int first = blockIdx.y * rowsPerBlock;
    int last = min(first + rowsPerBlock, d);
    const float* sb = s + (long long)b * d * d;
    for (int r = first + (threadIdx.x >> 5); r < last; r += warps)
    {
        const float* row = sb + (long long)r * d;
        float acc;
        if ((d & 3) == 0)
        {
            const float4* row4 = reinterpret_cast<const float4*>(row);
            const float4* v4 = reinterpret_cast<const float4*>(vs);
            int n4 = d >> 2;
            float a0 = 0.0f, a1 = 0.0f, a2 = 0.0f, a3 = 0.0f;
#pragma unroll 4
            for (int c = lane; c < n4; c += 32)
            {
                float4 x = __ldg(row4 + c);
                float4 y = v4[c];
                a0 = fmaf(x.x, y.x, a0);
                a1 = fmaf(x.y, y.y, a1);
                a2 = fmaf(x.z, y.z, a2);
                a3 = fmaf(x.w, y.w, a3);
            }
            acc = (a0 + a1) + (a2 + a3);
        }
        else
        {
            acc = 0.0f;
            for (int c = lane; c < d; c += 32)
            {
                acc = fmaf(__ldg(row + c), vs[c], acc);
            }
        }
        acc = rq_warp_sum(acc);
        if (lane == 0)
        {
            u[(long long)b * d + r] = acc;
        }
    }
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

// Stages v and u = S v of matrix blockIdx.x in shared memory (2 d floats).
__device__ void rq_load_pair(const float* v, const float* sv, float* vs, float* us, int d)
{
    int b = blockIdx.x;
    for (int i = threadIdx.x; i < d; i += blockDim.x)
    {
        vs[i] = v[(long long)b * d + i];
        us[i] = sv[(long long)b * d + i];
    }
    __syncthreads();
}

// lambda only, from v and u = S v (rq_products, or back-propagation).
extern "C" __global__ void rq_quotient_from_products(const float* v, const float* sv, int d, float* lambda)
{
    extern __shared__ float shared[];
    float* vs = shared;
    float* us = shared + d;
    rq_load_pair(v, sv, vs, us, d);
    rq_finish(vs, us, d, 0, 0.0f, 0, lambda + blockIdx.x);
}

// The step from v and u = S v: after rq_products, or with u from back-propagation (splitting.md §3.2).
extern "C" __global__ void rq_step_from_products(float* v, const float* sv, int d, float eta, float* lambda)
{
    extern __shared__ float shared[];
    float* vs = shared;
    float* us = shared + d;
    int b = blockIdx.x;
    rq_load_pair(v, sv, vs, us, d);
    rq_finish(vs, us, d, 1, eta, v + (long long)b * d, lambda + b);
}
