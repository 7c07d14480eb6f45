// DARTS mixed op with each candidate's final non-affine batch norm folded in; the GPU twin of the CPU
// NormalizedMixedOpKernel (same contract: inputs [N, C, plane], statistics [K, C]).
//   forward:  y[n,c,p] = sum_k w[k] * (x_k[n,c,p] - mean[k,c]) * invStd[k,c]
//             for k whose batch_stats bit is set, mean/invStd/variance[k,c] are computed from x_k first
//             (biased variance, invStd = 1/sqrt(var + eps[k])); for the others mean/invStd are read.
//   backward: per (k,c): S1 = sum dy, S2 = sum dy * (x_k - mean)
//             a = w*s, b = batch ? -a*s*s*S2/count : 0, kappa = batch ? -a*S1/count : 0
//             dx_k (= or +=) a*dy + b*(x_k - mean) + kappa        (dx_k pointer not null)
//             dw[k] = sum_c S2[k,c] * s[k,c]                        (overwritten, summed in double)
// Reductions run one block per (k, c) over the channel's N*plane elements: a thread accumulates float partials
// for at most NMO_CHUNK of its elements, then folds them into double, and the block combines threads in a fixed tree.
// No atomics, so results are deterministic for a given block size. The moments are taken around a shift (the mean of
// the channel's first image, as the CPU kernel does), so data around 50 +- 1 keeps its variance's digits.
// Pointers, weights, eps and flag bits travel by value in NormMixedOpArgs (264 bytes).

#define NMO_MAX_K 16
#define NMO_CHUNK 64

struct NormMixedOpArgs
{
    const float* x[NMO_MAX_K];
    float w[NMO_MAX_K];
    float eps[NMO_MAX_K];
    int batch_stats;  // bit k: candidate k normalises with its own batch statistics
    int accumulate;   // bit k: dx_k += instead of =
};

struct NormMixedOpGradients
{
    float* dx[NMO_MAX_K];
};

__device__ __forceinline__ double nmo_warp_sum(double v)
{
    for (int offset = 16; offset > 0; offset >>= 1)
    {
        v += __shfl_down_sync(0xffffffffu, v, offset);
    }
    return v;
}

// Sum of v over the block, returned to every thread. blockDim.x must be a multiple of 32 and at most 1024;
// scratch holds 32 doubles. Fixed order: lanes by shuffle tree, then warps by shuffle tree in warp 0.
__device__ double nmo_block_sum(double v, double* scratch)
{
    int lane = threadIdx.x & 31;
    int warp = threadIdx.x >> 5;
    v = nmo_warp_sum(v);
    if (lane == 0)
    {
        scratch[warp] = v;
    }
    __syncthreads();
    if (warp == 0)
    {
        int warps = blockDim.x >> 5;
        double s = lane < warps ? scratch[lane] : 0.0;
        s = nmo_warp_sum(s);
        if (lane == 0)
        {
            scratch[32] = s;
        }
    }
    __syncthreads();
    double total = scratch[32];
    // The next call overwrites scratch: every thread must have read the total first.
    __syncthreads();
    return total;
}

// Grid: k * channels blocks, block (j, c) = blockIdx.x = j * channels + c. Blocks of candidates without the
// batch-statistics bit leave at once (the whole block, so no barrier is skipped by part of it).
extern "C" __global__ void nmo_batch_stats(NormMixedOpArgs args, int k, int batch, int channels, int plane,
    float* mean, float* inv_std, float* variance)
{
    __shared__ double scratch[33];
    int at = blockIdx.x;
    int j = at / channels;
    int c = at - j * channels;
    if (j >= k || ((args.batch_stats >> j) & 1) == 0)
    {
        return;
    }
    const float* x = args.x[j];

    // Shift: the mean of the channel in the first image.
    float first = 0.0f;
    for (int p = threadIdx.x; p < plane; p += blockDim.x)
    {
        first += x[(long long)c * plane + p];
    }
    float shift = (float)(nmo_block_sum((double)first, scratch) / plane);

    int count = batch * plane;  // <= N*C*plane, which fits an int (buffers are int-sized)
    double s1 = 0.0, s2 = 0.0;
    int e = threadIdx.x;
    while (e < count)
    {
        float a1 = 0.0f, a2 = 0.0f;
        for (int t = 0; t < NMO_CHUNK && e < count; ++t, e += blockDim.x)
        {
            int n = e / plane;
            int p = e - n * plane;
            float d = x[((long long)n * channels + c) * plane + p] - shift;
            a1 += d;
            a2 = fmaf(d, d, a2);
        }
        s1 += a1;
        s2 += a2;
    }
    double sum = nmo_block_sum(s1, scratch);
    double sum_sq = nmo_block_sum(s2, scratch);
    if (threadIdx.x == 0)
    {
        double delta = sum / count;
        double var = fmax(0.0, sum_sq / count - delta * delta);
        mean[at] = (float)((double)shift + delta);
        variance[at] = (float)var;
        inv_std[at] = (float)(1.0 / sqrt(var + (double)args.eps[j]));
    }
}

// Grid-stride over the n = N*C*plane outputs: (x_0 - m_0)*s_0 first, then fused multiply-adds in k order, with
// s_k = w_k * invStd[k,c] rounded to float as the CPU kernel does.
extern "C" __global__ void nmo_forward(NormMixedOpArgs args, int k, int channels, int plane, const float* mean,
    const float* inv_std, float* y, int n)
{
    long long stride = (long long)blockDim.x * gridDim.x;
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride)
    {
        int c = ((int)i / plane) % channels;
        float acc = (args.x[0][i] - mean[c]) * (args.w[0] * inv_std[c]);
#pragma unroll
        for (int j = 1; j < NMO_MAX_K; ++j)
        {
            if (j < k)
            {
                int at = j * channels + c;
                acc = fmaf(args.x[j][i] - mean[at], args.w[j] * inv_std[at], acc);
            }
        }
        y[i] = acc;
    }
}

// Grid: k * channels blocks as nmo_batch_stats. Writes per (k, c): coef[3 * at + 0..2] = a, b, kappa (floats, for
// nmo_backward_dx) and dw_part[at] = S2 * invStd (double, for nmo_weight_grad).
extern "C" __global__ void nmo_backward_sums(NormMixedOpArgs args, int k, int batch, int channels, int plane,
    const float* mean, const float* inv_std, const float* dy, float* coef, double* dw_part)
{
    __shared__ double scratch[33];
    int at = blockIdx.x;
    int j = at / channels;
    int c = at - j * channels;
    if (j >= k)
    {
        return;
    }
    const float* x = args.x[j];
    float mu = mean[at];
    int count = batch * plane;
    double s1 = 0.0, s2 = 0.0;
    int e = threadIdx.x;
    while (e < count)
    {
        float a1 = 0.0f, a2 = 0.0f;
        for (int t = 0; t < NMO_CHUNK && e < count; ++t, e += blockDim.x)
        {
            int n = e / plane;
            int p = e - n * plane;
            long long i = ((long long)n * channels + c) * plane + p;
            float g = dy[i];
            a1 += g;
            a2 = fmaf(g, x[i] - mu, a2);
        }
        s1 += a1;
        s2 += a2;
    }
    double sum_dy = nmo_block_sum(s1, scratch);
    double centred = nmo_block_sum(s2, scratch);
    if (threadIdx.x == 0)
    {
        double sigma = inv_std[at];
        double a = (double)args.w[j] * sigma;
        bool batch_stats = ((args.batch_stats >> j) & 1) != 0;
        coef[3 * at] = (float)a;
        coef[3 * at + 1] = batch_stats ? (float)(-a * sigma * sigma * centred / count) : 0.0f;
        coef[3 * at + 2] = batch_stats ? (float)(-a * sum_dy / count) : 0.0f;
        dw_part[at] = centred * sigma;
    }
}

// Grid-stride over the n = N*C*plane elements: dx_k = a*dy + ((x_k - mean)*b + kappa) for every k with a gradient
// pointer, added to the old value where the accumulate bit is set.
extern "C" __global__ void nmo_backward_dx(NormMixedOpArgs args, NormMixedOpGradients grads, int k, int channels,
    int plane, const float* mean, const float* coef, const float* dy, int n)
{
    long long stride = (long long)blockDim.x * gridDim.x;
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride)
    {
        int c = ((int)i / plane) % channels;
        float g = dy[i];
#pragma unroll
        for (int j = 0; j < NMO_MAX_K; ++j)
        {
            float* dx = grads.dx[j];
            if (j < k && dx != 0)
            {
                int at = j * channels + c;
                float t = fmaf(args.x[j][i] - mean[at], coef[3 * at + 1], coef[3 * at + 2]);
                float v = fmaf(g, coef[3 * at], t);
                dx[i] = ((args.accumulate >> j) & 1) != 0 ? v + dx[i] : v;
            }
        }
    }
}

// One block per candidate: dw[k] = sum over channels of dw_part[k, c], in double, in a fixed tree order.
extern "C" __global__ void nmo_weight_grad(const double* dw_part, int channels, float* dw)
{
    __shared__ double scratch[33];
    int j = blockIdx.x;
    double s = 0.0;
    for (int c = threadIdx.x; c < channels; c += blockDim.x)
    {
        s += dw_part[(long long)j * channels + c];
    }
    double total = nmo_block_sum(s, scratch);
    if (threadIdx.x == 0)
    {
        dw[j] = (float)total;
    }
}
