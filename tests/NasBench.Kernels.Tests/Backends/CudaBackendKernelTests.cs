using NasBench.Kernels.Backends.Cuda;
using NasBench.Kernels.Cpu;
using NasBench.Kernels.Cuda;

namespace NasBench.Kernels.Tests.Backends;

/// <summary>The backend tests on CUDA device 0: host arrays are uploaded, the kernel runs, results come back.
/// Skipped, with the probe's reason, where no device is found.</summary>
[RequiresCudaDevice]
public sealed class CudaBackendKernelTests : BackendKernelTests
{
    private static readonly Lazy<CudaDevice> Device = new(() => CudaDevice.Get(0));

    private static CudaDevice Gpu => Device.Value;

    protected override void MixedOpForward(float[] weights, float[][] inputs, float[] output)
    {
        using var kernel = new CudaMixedOpKernel(Gpu);
        CudaBuffer<float>[] x = inputs.Select(a => Gpu.Upload<float>(a)).ToArray();
        using CudaBuffer<float> y = Gpu.Allocate<float>(output.Length);
        try
        {
            kernel.Forward(weights, x, y);
            y.CopyTo(output);
        }
        finally
        {
            DisposeAll(x);
        }
    }

    protected override void MixedOpBackward(float[] weights, float[][] inputs, float[] dy, float[]?[] dInputs,
        float[] dWeights, bool accumulate)
    {
        using var kernel = new CudaMixedOpKernel(Gpu);
        CudaBuffer<float>[] x = inputs.Select(a => Gpu.Upload<float>(a)).ToArray();
        CudaBuffer<float>?[] dx = dInputs.Select(a => a is null ? null : Gpu.Upload<float>(a)).ToArray();
        using CudaBuffer<float> g = Gpu.Upload<float>(dy);
        using CudaBuffer<float> dw = Gpu.Allocate<float>(weights.Length);
        try
        {
            kernel.Backward(weights, x, g, dx, dw, accumulate);
            dw.CopyTo(dWeights.AsSpan(0, weights.Length));
            for (int k = 0; k < dx.Length; k++)
            {
                dx[k]?.CopyTo(dInputs[k]);
            }
        }
        finally
        {
            DisposeAll(x);
            DisposeAll(dx);
        }
    }

    protected override void RayleighQuotient(int batch, int d, float[] s, float[] v, float[] lambda)
    {
        using CudaBuffer<float> sb = Gpu.Upload<float>(s), vb = Gpu.Upload<float>(v);
        using CudaBuffer<float> lb = Gpu.Allocate<float>(batch);
        using var kernel = new CudaRayleighQuotientKernel(Gpu);
        kernel.Quotient(batch, d, sb, vb, lb);
        lb.CopyTo(lambda);
    }

    protected override void RayleighStep(int batch, int d, float[] s, float[] v, float stepSize, float[] lambda,
        int iterations)
    {
        using CudaBuffer<float> sb = Gpu.Upload<float>(s), vb = Gpu.Upload<float>(v);
        using CudaBuffer<float> lb = Gpu.Allocate<float>(batch);
        using var kernel = new CudaRayleighQuotientKernel(Gpu);
        kernel.Iterate(batch, d, sb, vb, stepSize, iterations, lb);
        vb.CopyTo(v);
        lb.CopyTo(lambda);
    }

    protected override void RayleighStepFromProducts(int batch, int d, float[] v, float[] sv, float stepSize,
        float[] lambda)
    {
        using CudaBuffer<float> vb = Gpu.Upload<float>(v), svb = Gpu.Upload<float>(sv);
        using CudaBuffer<float> lb = Gpu.Allocate<float>(batch);
        using var kernel = new CudaRayleighQuotientKernel(Gpu);
        kernel.StepFromProducts(batch, d, vb, svb, stepSize, lb);
        vb.CopyTo(v);
        lb.CopyTo(lambda);
    }

    protected override float ExpectedCost(int edges, int ops, float[] alpha, float[] table, float[] probabilities,
        float[] dAlpha)
    {
        using var kernel = new CudaLatencyLookupKernel(Gpu);
        using CudaBuffer<float> a = Gpu.Upload<float>(alpha), l = Gpu.Upload<float>(table);
        using CudaBuffer<float> p = Gpu.Allocate<float>(probabilities.Length), g = Gpu.Allocate<float>(dAlpha.Length);
        float cost = kernel.ExpectedCost(edges, ops, a, l, p, g);
        p.CopyTo(probabilities);
        g.CopyTo(dAlpha);
        return cost;
    }

    protected override void BatchLookup(int population, int slots, int[] entryIndex, float[] entryCost,
        float[] totals)
    {
        using var kernel = new CudaLatencyLookupKernel(Gpu);
        using CudaBuffer<int> index = Gpu.Upload<int>(entryIndex);
        using CudaBuffer<float> cost = Gpu.Upload<float>(entryCost), t = Gpu.Allocate<float>(totals.Length);
        kernel.BatchLookup(population, slots, index, cost, t);
        t.CopyTo(totals);
    }

    protected override void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha, float[] a, int lda,
        float[] b, int ldb, float beta, float[] c, int ldc)
    {
        using CudaBuffer<float> ab = Gpu.Upload<float>(a), bb = Gpu.Upload<float>(b), cb = Gpu.Upload<float>(c);
        new CudaSgemm(Gpu).Multiply(transA, transB, m, n, k, alpha, ab, lda, bb, ldb, beta, cb, ldc);
        cb.CopyTo(c);
    }

    protected override void Relu(float[] x, float[] y)
    {
        using CudaBuffer<float> xb = Gpu.Upload<float>(x), yb = Gpu.Allocate<float>(y.Length);
        new CudaActivationKernel(Gpu).Relu(xb, yb);
        yb.CopyTo(y);
    }

    protected override void ReluBackward(float[] x, float[] dy, float[] dx, bool accumulate)
    {
        using CudaBuffer<float> xb = Gpu.Upload<float>(x), gb = Gpu.Upload<float>(dy), db = Gpu.Upload<float>(dx);
        new CudaActivationKernel(Gpu).ReluBackward(xb, gb, db, accumulate);
        db.CopyTo(dx);
    }

    protected override void DepthwiseForward(Conv2dShape shape, float[] x, float[] w, float[]? bias, float[] y)
    {
        using CudaBuffer<float> xb = Gpu.Upload<float>(x), wb = Gpu.Upload<float>(w);
        using CudaBuffer<float>? bb = bias is null ? null : Gpu.Upload<float>(bias);
        using CudaBuffer<float> yb = Gpu.Allocate<float>(y.Length);
        new CudaDepthwiseConv2dKernel(Gpu).Forward(shape, xb, wb, bb, yb);
        yb.CopyTo(y);
    }

    /// <summary>One kernel object keeps its S·v scratch buffer across calls and grows it for a larger batch·d: its
    /// results equal a fresh object's bit for bit (the same launches in the same order).</summary>
    [GpuFact]
    public void Rayleigh_kernel_reuses_and_grows_its_scratch_across_shapes()
    {
        var rng = new Random(5);
        using var reused = new CudaRayleighQuotientKernel(Gpu);
        foreach ((int batch, int d) in new[] { (2, 8), (5, 260), (3, 21) })
        {
            float[] s = RandomSymmetric(rng, batch, d);
            float[] v = Random(rng, batch * d, -1, 1);
            float[] expectedLambda = new float[batch], expectedV = (float[])v.Clone();
            RayleighStep(batch, d, s, expectedV, 0.1f, expectedLambda, iterations: 2);

            using CudaBuffer<float> sb = Gpu.Upload<float>(s), vb = Gpu.Upload<float>(v);
            using CudaBuffer<float> lb = Gpu.Allocate<float>(batch);
            reused.Iterate(batch, d, sb, vb, 0.1f, 2, lb);
            var lambda = new float[batch];
            lb.CopyTo(lambda);
            vb.CopyTo(v);

            Assert.Equal(expectedLambda, lambda);
            Assert.Equal(expectedV, v);
        }
    }

    private static void DisposeAll(IEnumerable<CudaBuffer<float>?> buffers)
    {
        foreach (CudaBuffer<float>? buffer in buffers)
        {
            buffer?.Dispose();
        }
    }
}
