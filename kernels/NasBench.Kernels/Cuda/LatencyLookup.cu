// Latency-table expected cost and population lookup (DESIGN.md §2 hot path 3, darts.md §3).
//   latency_expected_cost: p[e,:] = softmax(alpha[e,:]),  C = sum_e sum_o p[e,o] L[e,o],
//                          dC/dalpha[e,o] = p[e,o] (L[e,o] - sum_o' p[e,o'] L[e,o'])
//   latency_batch_lookup:  totals[q] = sum_s cost[index[q * slots + s]]   (gather + sum per architecture)
// Bad input is reported, not trapped: the smallest flattened position of a non-finite table entry or an
// out-of-range index is written to an int that the host checks, so the host can name (e, o) or (q, s).

#define LATENCY_NO_ERROR 0x7fffffff

struct LatencyCostResult
{
    float cost;
    int bad_index;
};

__device__ __forceinline__ double latency_warp_sum(double v)
{
    for (int offset = 16; offset > 0; offset >>= 1)
    {
        v += __shfl_down_sync(0xffffffffu, v, offset);
    }
    return v;
}

__device__ __forceinline__ int latency_warp_min(int v)
{
    for (int offset = 16; offset > 0; offset >>= 1)
    {
        v = min(v, __shfl_down_sync(0xffffffffu, v, offset));
    }
    return v;
}

// A single block (blockDim.x a multiple of 32) walks the edges; one thread owns one edge's softmax, so the op
// count per edge (8 for DARTS) is a short sequential loop and the edge sum is a fixed-order block reduction.
extern "C" __global__ void latency_expected_cost(int edges, int ops, const float* alpha, const float* table,
    float* probabilities, float* dalpha, LatencyCostResult* result)
{
    __shared__ double sums[32];
    __shared__ int bads[32];
    double total = 0.0;
    int bad = LATENCY_NO_ERROR;
    for (int e = threadIdx.x; e < edges; e += blockDim.x)
    {
        const float* a = alpha + (long long)e * ops;
        const float* l = table + (long long)e * ops;
        float* p = probabilities + (long long)e * ops;
        float* g = dalpha + (long long)e * ops;
        float m = a[0];
        for (int o = 1; o < ops; ++o)
        {
            m = fmaxf(m, a[o]);
        }
        double z = 0.0;
        for (int o = 0; o < ops; ++o)
        {
            float ex = expf(a[o] - m);
            p[o] = ex;
            z += ex;
        }
        double expected = 0.0;
        for (int o = 0; o < ops; ++o)
        {
            float po = (float)(p[o] / z);
            p[o] = po;
            float lo = l[o];
            // fabsf(NaN) <= max is false as well, so this one test catches +-inf and NaN.
            if (!(fabsf(lo) <= 3.402823466e38f))
            {
                bad = min(bad, e * ops + o);
            }
            expected += (double)po * lo;
        }
        for (int o = 0; o < ops; ++o)
        {
            g[o] = (float)(p[o] * (l[o] - expected));
        }
        total += expected;
    }

    total = latency_warp_sum(total);
    bad = latency_warp_min(bad);
    if ((threadIdx.x & 31) == 0)
    {
        sums[threadIdx.x >> 5] = total;
        bads[threadIdx.x >> 5] = bad;
    }
    __syncthreads();
    if (threadIdx.x == 0)
    {
        double c = 0.0;
        int b = LATENCY_NO_ERROR;
        for (int w = 0; w < (int)(blockDim.x >> 5); ++w)
        {
            c += sums[w];
            b = min(b, bads[w]);
        }
        result->cost = (float)c;
        result->bad_index = b;
    }
}

// bad_index must hold LATENCY_NO_ERROR before the launch.
extern "C" __global__ void latency_batch_lookup(int population, int slots, const int* index, const float* cost,
    int entries, float* totals, int* bad_index)
{
    int stride = blockDim.x * gridDim.x;
    for (int q = blockIdx.x * blockDim.x + threadIdx.x; q < population; q += stride)
    {
        const int* row = index + (long long)q * slots;
        double sum = 0.0;
        for (int s = 0; s < slots; ++s)
        {
            int entry = row[s];
            if (entry < 0 || entry >= entries)
            {
                atomicMin(bad_index, q * slots + s);
                continue;
            }
            sum += cost[entry];
        }
        totals[q] = (float)sum;
    }
}
