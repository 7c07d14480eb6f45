// Tiled single-precision GEMM, row-major: C = alpha * op(A) * op(B) + beta * C, op(X) = X or X^T.
// op(A) is m x k, op(B) is k x n; lda/ldb/ldc are row strides of the stored matrices (A stored k x m when
// transposed), the same contract as SgemmReference. beta == 0 ignores C's old contents, NaN included.
// Each 256-thread block computes a 64 x 64 tile of C through 16-deep shared-memory tiles of A and B; each thread
// owns a 4 x 4 sub-tile strided by 16 so that shared-memory reads and global stores are coalesced.

#define SGEMM_BM 64
#define SGEMM_BN 64
#define SGEMM_BK 16
#define SGEMM_THREADS 256

extern "C" __global__ void __launch_bounds__(SGEMM_THREADS) sgemm_tiled(int trans_a, int trans_b, int m, int n,
    int k, float alpha, const float* a, int lda, const float* b, int ldb, float beta, float* c, int ldc)
{
    // +1 column of padding: the A tile is written transposed, which would otherwise hit one bank 16 times.
    __shared__ float as[SGEMM_BK][SGEMM_BM + 1];
    __shared__ float bs[SGEMM_BK][SGEMM_BN];

    int tid = threadIdx.x;
    int tx = tid & 15;
    int ty = tid >> 4;
    int row0 = blockIdx.y * SGEMM_BM;
    int col0 = blockIdx.x * SGEMM_BN;

    float acc[4][4];
#pragma unroll
    for (int i = 0; i < 4; ++i)
    {
#pragma unroll
        for (int j = 0; j < 4; ++j)
        {
            acc[i][j] = 0.0f;
        }
    }

    for (int k0 = 0; k0 < k; k0 += SGEMM_BK)
    {
        for (int l = tid; l < SGEMM_BM * SGEMM_BK; l += SGEMM_THREADS)
        {
            // Consecutive threads walk the stored matrix's contiguous dimension, so global loads coalesce.
            int r = trans_a ? l % SGEMM_BM : l / SGEMM_BK;
            int q = trans_a ? l / SGEMM_BM : l % SGEMM_BK;
            int gr = row0 + r;
            int gq = k0 + q;
            float v = 0.0f;
            if (gr < m && gq < k)
            {
                v = trans_a ? a[(long long)gq * lda + gr] : a[(long long)gr * lda + gq];
            }
            as[q][r] = v;
        }
        for (int l = tid; l < SGEMM_BK * SGEMM_BN; l += SGEMM_THREADS)
        {
            int q = trans_b ? l % SGEMM_BK : l / SGEMM_BN;
            int col = trans_b ? l / SGEMM_BK : l % SGEMM_BN;
            int gq = k0 + q;
            int gc = col0 + col;
            float v = 0.0f;
            if (gq < k && gc < n)
            {
                v = trans_b ? b[(long long)gc * ldb + gq] : b[(long long)gq * ldb + gc];
            }
            bs[q][col] = v;
        }
        __syncthreads();
#pragma unroll
        for (int kk = 0; kk < SGEMM_BK; ++kk)
        {
            float av[4], bv[4];
#pragma unroll
            for (int i = 0; i < 4; ++i)
            {
                av[i] = as[kk][ty + 16 * i];
                bv[i] = bs[kk][tx + 16 * i];
            }
#pragma unroll
            for (int i = 0; i < 4; ++i)
            {
#pragma unroll
                for (int j = 0; j < 4; ++j)
                {
                    acc[i][j] = fmaf(av[i], bv[j], acc[i][j]);
                }
            }
        }
        __syncthreads();
    }

#pragma unroll
    for (int i = 0; i < 4; ++i)
    {
        int r = row0 + ty + 16 * i;
        if (r >= m)
        {
            continue;
        }
#pragma unroll
        for (int j = 0; j < 4; ++j)
        {
            int col = col0 + tx + 16 * j;
            if (col < n)
            {
                float* out = c + (long long)r * ldc + col;
                *out = beta == 0.0f ? alpha * acc[i][j] : fmaf(alpha, acc[i][j], beta * *out);
            }
        }
    }
}
