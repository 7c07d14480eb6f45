// DARTS mixed op with each candidate's final non-affine batch norm folded in; the GPU twin of the CPU
// NormalizedMixedOpKernel (same contract: inputs [N, C, plane], statistics [K, C]).
//   forward:  y[n,c,p] = sum_k w[k] * (x_k[n,c,p] - mean[k,c]) * invStd[k,c]
//             for k whose batch_stats bit is set, mean/invStd/variance[k,c] are computed from x_k first
//             (biased variance, invStd = 1/sqrt(var + eps[k])); for the others mean/invStd are read.
//   backward: per (k,c): S1 = sum dy, S2 = sum dy * (x_k - mean)
//             a = w*s, b = batch ? -a*s*s*S2/count : 0, kappa = batch ? -a*S1/count : 0
//             dx_k (= or +=) a*dy + b*(x_k - mean) + kappa        (dx_k pointer not null)
//             dw[k] = sum_c S2[k,c] * s[k,c]                        (overwritten, summed in double)
// Reductions split each (k, c) channel's N*plane elements over gridDim.y blocks (a few channels must still fill
// the GPU): a thread accumulates float partials for at most NMO_CHUNK of its elements, then folds them into double,
// the block combines threads in a fixed tree and writes one double partial per part; a finalize kernel adds the parts
// in order. No atomics, so results are deterministic for a given launch shape. The moments are taken around a shift
// (the mean of the channel's first 32 elements; the CPU kernel uses the first image's), so data around 50 +- 1 keeps
// its variance's digits.
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
// scratch holds 33 doubles. Fixed order: lanes by shuffle tree, then warps by shuffle tree in warp 0.
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

// Channel split: block (at, part) with at = blockIdx.x = j * channels + c and part = blockIdx.y reduces elements
// [part * span, (part + 1) * span) of the channel's count = N*plane, so a handful of channels still fill the GPU.
__device__ __forceinline__ void nmo_split(int count, int* begin, int* end)
{
    int span = (count + gridDim.y - 1) / gridDim.y;
    long long b = (long long)blockIdx.y * span;
    *begin = (int)(b < count ? b : count);
    *end = (int)(b + span < count ? b + span : count);
}

// Offset of element e (0 <= e < N*plane) of channel c: image e / plane, position e % plane.
__device__ __forceinline__ long long nmo_index(int e, int plane, int channels, int c)
{
    int n = e / plane;
    return ((long long)n * channels + c) * plane + (e - n * plane);
}

// The r-th candidate (from 0) whose bit is set in mask, or NMO_MAX_K when there are fewer.
__device__ __forceinline__ int nmo_nth_bit(int mask, int r)
{
    for (int j = 0; j < NMO_MAX_K; ++j)
    {
        if ((mask >> j) & 1)
        {
            if (r == 0)
            {
                return j;
            }
            --r;
        }
    }
    return NMO_MAX_K;
}

// Grid (normalized * channels, parts), normalized = the number of batch-statistics candidates: blockIdx.x =
// r * channels + c for the r-th such candidate j, so no block is launched for a candidate with constant statistics.
// Writes partial[3 * (at * parts + part) + 0..2] = sum (x - shift), sum (x - shift)^2, shift, in double, at = j *
// channels + c; nmo_stats_finalize combines the parts.
extern "C" __global__ void nmo_batch_stats(NormMixedOpArgs args, int k, int batch, int channels, int plane,
    double* partial)
{
    __shared__ double scratch[33];
    int r = blockIdx.x / channels;
    int c = blockIdx.x - r * channels;
    int j = nmo_nth_bit(args.batch_stats, r);
    if (j >= k)
    {
        return;  // a launch wider than the flags: the whole block leaves, so no barrier is skipped
    }
    int at = j * channels + c;
    const float* x = args.x[j];
    int count = batch * plane;  // N*plane <= N*C*plane, which fits an int (buffers are int-sized)
    // Shift: the mean of the channel's first (up to) 32 elements, close enough to the mean that the shifted moments
    // lose no digits to cancellation. Every warp of every part computes it from the same reads in the same shuffle
    // order, so all parts use the identical value and no barrier is needed.
    int lane = threadIdx.x & 31;
    int first = min(count, 32);
    float shift = lane < first ? x[nmo_index(lane, plane, channels, c)] : 0.0f;
    for (int offset = 16; offset > 0; offset >>= 1)
    {
        shift += __shfl_xor_sync(0xffffffffu, shift, offset);
    }
    shift /= (float)first;
    int begin, end;
    nmo_split(count, &begin, &end);
    double s1 = 0.0, s2 = 0.0;
    int step = blockDim.x;
    int e = begin + threadIdx.x;
    while (e < end)
    {
        float a1 = 0.0f, a2 = 0.0f;
        int stop = (int)min((long long)end, (long long)e + (long long)NMO_CHUNK * step);
        // Eight independent loads in flight per thread (one array here, two in nmo_backward_sums' four), then the
        // tail one at a time.
        for (; (long long)e + 7 * step < stop; e += 8 * step)
        {
            float v[8];
#pragma unroll
            for (int u = 0; u < 8; ++u)
            {
                v[u] = x[nmo_index(e + u * step, plane, channels, c)];
            }
#pragma unroll
            for (int u = 0; u < 8; ++u)
            {
                float d = v[u] - shift;
                a1 += d;
                a2 = fmaf(d, d, a2);
            }
        }
        for (; e < stop; e += step)
        {
            float d = x[nmo_index(e, plane, channels, c)] - shift;
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
        long long slot = 3 * ((long long)at * gridDim.y + blockIdx.y);
        partial[slot] = sum;
        partial[slot + 1] = sum_sq;
        partial[slot + 2] = shift;
    }
}

// One warp per (k, c) of a batch-statistics candidate (grid of k * channels warps): lanes add the parts in a fixed
// order (strided, then a shuffle tree), lane 0 writes mean, biased variance and invStd = 1/sqrt(var + eps). A warp,
// not a thread, per channel because the part loads are then in flight together rather than one after another.
extern "C" __global__ void nmo_stats_finalize(NormMixedOpArgs args, int k, int batch, int channels, int plane,
    int parts, const double* partial, float* mean, float* inv_std, float* variance)
{
    int lane = threadIdx.x & 31;
    int at = (int)(((long long)blockIdx.x * blockDim.x + threadIdx.x) >> 5);
    int j = at / channels;
    if (j >= k || ((args.batch_stats >> j) & 1) == 0)
    {
        return;  // the whole warp: every lane has the same at
    }
    double sum = 0.0, sum_sq = 0.0;
    for (int part = lane; part < parts; part += 32)
    {
        sum += partial[3 * ((long long)at * parts + part)];
        sum_sq += partial[3 * ((long long)at * parts + part) + 1];
    }
    sum = nmo_warp_sum(sum);
    sum_sq = nmo_warp_sum(sum_sq);
    if (lane == 0)
    {
        long long count = (long long)batch * plane;
        double delta = sum / count;
        double var = fmax(0.0, sum_sq / count - delta * delta);
        mean[at] = (float)(partial[3 * (long long)at * parts + 2] + delta);
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

// Grid (k * channels, parts) as nmo_batch_stats. Writes partial[2 * (at * parts + part) + 0..1] = sum dy,
// sum dy * (x_k - mean) over the part's elements, in double.
extern "C" __global__ void nmo_backward_sums(NormMixedOpArgs args, int k, int batch, int channels, int plane,
    const float* mean, const float* dy, double* partial)
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
    int begin, end;
    nmo_split(batch * plane, &begin, &end);
    double s1 = 0.0, s2 = 0.0;
    int step = blockDim.x;
    int e = begin + threadIdx.x;
    while (e < end)
    {
        float a1 = 0.0f, a2 = 0.0f;
        int stop = (int)min((long long)end, (long long)e + (long long)NMO_CHUNK * step);
        for (; (long long)e + 3 * step < stop; e += 4 * step)
        {
            float g[4], v[4];
#pragma unroll
            for (int u = 0; u < 4; ++u)
            {
                long long i = nmo_index(e + u * step, plane, channels, c);
                g[u] = dy[i];
                v[u] = x[i];
            }
#pragma unroll
            for (int u = 0; u < 4; ++u)
            {
                a1 += g[u];
                a2 = fmaf(g[u], v[u] - mu, a2);
            }
        }
        for (; e < stop; e += step)
        {
            long long i = nmo_index(e, plane, channels, c);
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
        long long slot = 2 * ((long long)at * gridDim.y + blockIdx.y);
        partial[slot] = sum_dy;
        partial[slot + 1] = centred;
    }
}

// One block per candidate j, a warp per channel: the lanes add that (j, c)'s parts in a fixed order, lane 0 writes
// coef[3 * at + 0..2] = a, b, kappa (floats, for nmo_backward_dx), and the block sums
// dw[j] = sum_c centred * invStd over channels in double, in a fixed tree order (overwritten).
extern "C" __global__ void nmo_backward_finalize(NormMixedOpArgs args, int batch, int channels, int plane,
    int parts, const double* partial, const float* inv_std, float* coef, float* dw)
{
    __shared__ double scratch[33];
    int j = blockIdx.x;
    int lane = threadIdx.x & 31;
    int warps = blockDim.x >> 5;
    bool batch_stats = ((args.batch_stats >> j) & 1) != 0;
    double count = (double)batch * plane;
    double dw_sum = 0.0;
    for (int c = threadIdx.x >> 5; c < channels; c += warps)
    {
        int at = j * channels + c;
        double sum_dy = 0.0, centred = 0.0;
        for (int part = lane; part < parts; part += 32)
        {
            sum_dy += partial[2 * ((long long)at * parts + part)];
            centred += partial[2 * ((long long)at * parts + part) + 1];
        }
        sum_dy = nmo_warp_sum(sum_dy);
        centred = nmo_warp_sum(centred);
        if (lane == 0)
        {
            double sigma = inv_std[at];
            double a = (double)args.w[j] * sigma;
            coef[3 * at] = (float)a;
            coef[3 * at + 1] = batch_stats ? (float)(-a * sigma * sigma * centred / count) : 0.0f;
            coef[3 * at + 2] = batch_stats ? (float)(-a * sum_dy / count) : 0.0f;
            dw_sum += centred * sigma;
        }
    }
    double total = nmo_block_sum(dw_sum, scratch);
    if (threadIdx.x == 0)
    {
        dw[j] = (float)total;
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
