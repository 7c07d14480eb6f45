// DARTS mixed-op weighted sum, forward and backward (DESIGN.md §2, hot path 1).
//   forward:  y[i] = sum_k w[k] * x_k[i]
//   backward: dx_k[i] (= or +=) w[k] * dy[i]   for every k whose dx_k pointer is not null
//             dw[k] = <x_k, dy>                 (two stages: per-block partials, then a fixed-order reduction)
// Memory-bound: every array is streamed once per pass. The K input pointers and weights travel by value in the
// kernel parameter block (MixedOpArgs, 192 bytes), so no device-side pointer table has to be uploaded per call.
// Results are deterministic for a given grid size: no atomics, reductions in a fixed order.

#define MIXED_OP_MAX_K 16

struct MixedOpArgs
{
    const float* x[MIXED_OP_MAX_K];
    float w[MIXED_OP_MAX_K];
};

struct MixedOpGradients
{
    float* dx[MIXED_OP_MAX_K];
};

__device__ __forceinline__ float mixed_op_warp_sum(float v)
{
    for (int offset = 16; offset > 0; offset >>= 1)
    {
        v += __shfl_down_sync(0xffffffffu, v, offset);
    }
    return v;
}

extern "C" __global__ void mixed_op_forward(MixedOpArgs args, int k, float* y, long long n)
{
    long long stride = (long long)blockDim.x * gridDim.x;
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride)
    {
        float sum = 0.0f;
#pragma unroll
        for (int j = 0; j < MIXED_OP_MAX_K; ++j)
        {
            if (j < k)
            {
                sum = fmaf(args.w[j], args.x[j][i], sum);
            }
        }
        y[i] = sum;
    }
}

// blockDim.x must be a multiple of 32 and at most 1024; partial is [gridDim.x, k].
extern "C" __global__ void mixed_op_backward(MixedOpArgs args, MixedOpGradients grads, int k, const float* dy,
    long long n, int accumulate, float* partial)
{
    __shared__ float warp_sums[32][MIXED_OP_MAX_K];
    float dot[MIXED_OP_MAX_K];
#pragma unroll
    for (int j = 0; j < MIXED_OP_MAX_K; ++j)
    {
        dot[j] = 0.0f;
    }

    long long stride = (long long)blockDim.x * gridDim.x;
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride)
    {
        float g = dy[i];
#pragma unroll
        for (int j = 0; j < MIXED_OP_MAX_K; ++j)
        {
            if (j < k)
            {
                dot[j] = fmaf(args.x[j][i], g, dot[j]);
                float* dx = grads.dx[j];
                if (dx != 0)
                {
                    float v = args.w[j] * g;
                    dx[i] = accumulate ? dx[i] + v : v;
                }
            }
        }
    }

    int lane = threadIdx.x & 31;
    int warp = threadIdx.x >> 5;
#pragma unroll
    for (int j = 0; j < MIXED_OP_MAX_K; ++j)
    {
        if (j < k)
        {
            float v = mixed_op_warp_sum(dot[j]);
            if (lane == 0)
            {
                warp_sums[warp][j] = v;
            }
        }
    }
    __syncthreads();
    if (threadIdx.x < k)
    {
        int warps = blockDim.x >> 5;
        float s = 0.0f;
        for (int w = 0; w < warps; ++w)
        {
            s += warp_sums[w][threadIdx.x];
        }
        partial[(long long)blockIdx.x * k + threadIdx.x] = s;
    }
}

// One block per k; sums the per-block partials in double, in a fixed tree order.
extern "C" __global__ void mixed_op_reduce(const float* partial, int blocks, int k, float* dw)
{
    __shared__ double sums[1024];
    int j = blockIdx.x;
    double s = 0.0;
    for (int b = threadIdx.x; b < blocks; b += blockDim.x)
    {
        s += (double)partial[(long long)b * k + j];
    }
    sums[threadIdx.x] = s;
    __syncthreads();
    for (int half = blockDim.x >> 1; half > 0; half >>= 1)
    {
        if (threadIdx.x < half)
        {
            sums[threadIdx.x] += sums[threadIdx.x + half];
        }
        __syncthreads();
    }
    if (threadIdx.x == 0)
    {
        dw[j] = (float)sums[0];
    }
}
