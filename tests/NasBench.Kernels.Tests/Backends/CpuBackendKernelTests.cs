using System.Numerics.Tensors;
using NasBench.Kernels.Cpu;

namespace NasBench.Kernels.Tests.Backends;

/// <summary>The backend tests on the CPU. SGEMM, ReLU and depthwise convolution go through the CPU kernel facades.
/// The three search hot paths are composed here from <see cref="TensorPrimitives"/> (float, vectorised — a different
/// path from the tests' double loops) until the CPU <c>MixedOpKernel</c>, <c>RayleighQuotientKernel</c> and
/// <c>LatencyLookupKernel</c> land; then these overrides should call them.</summary>
public sealed class CpuBackendKernelTests : BackendKernelTests
{
    protected override void MixedOpForward(float[] weights, float[][] inputs, float[] output)
    {
        int n = output.Length;
        TensorPrimitives.Multiply(inputs[0].AsSpan(0, n), weights[0], output);
        for (int k = 1; k < inputs.Length; k++)
        {
            TensorPrimitives.MultiplyAdd(inputs[k].AsSpan(0, n), weights[k], output, output);
        }
    }

    protected override void MixedOpBackward(float[] weights, float[][] inputs, float[] dy, float[]?[] dInputs,
        float[] dWeights, bool accumulate)
    {
        for (int k = 0; k < inputs.Length; k++)
        {
            dWeights[k] = TensorPrimitives.Dot(inputs[k].AsSpan(0, dy.Length), dy);
            if (dInputs[k] is { } dx)
            {
                if (accumulate)
                {
                    TensorPrimitives.MultiplyAdd(dy, weights[k], dx.AsSpan(0, dy.Length), dx);
                }
                else
                {
                    TensorPrimitives.Multiply(dy, weights[k], dx);
                }
            }
        }
    }

    protected override void RayleighQuotient(int batch, int d, float[] s, float[] v, float[] lambda)
    {
        var u = new float[d];
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> vb = v.AsSpan(b * d, d);
            MatVec(s.AsSpan(b * d * d, d * d), vb, u);
            float vv = TensorPrimitives.Dot(vb, vb);
            lambda[b] = vv > 0 ? TensorPrimitives.Dot(vb, u) / vv : 0;
        }
    }

    protected override void RayleighStep(int batch, int d, float[] s, float[] v, float stepSize, float[] lambda,
        int iterations)
    {
        var u = new float[batch * d];
        for (int it = 0; it < iterations; it++)
        {
            for (int b = 0; b < batch; b++)
            {
                MatVec(s.AsSpan(b * d * d, d * d), v.AsSpan(b * d, d), u.AsSpan(b * d, d));
            }
            RayleighStepFromProducts(batch, d, v, u, stepSize, lambda);
        }
    }

    protected override void RayleighStepFromProducts(int batch, int d, float[] v, float[] sv, float stepSize,
        float[] lambda)
    {
        var g = new float[d];
        for (int b = 0; b < batch; b++)
        {
            Span<float> vb = v.AsSpan(b * d, d);
            ReadOnlySpan<float> ub = sv.AsSpan(b * d, d);
            float vv = TensorPrimitives.Dot(vb, vb);
            float lam = vv > 0 ? TensorPrimitives.Dot(vb, ub) / vv : 0;
            lambda[b] = lam;
            if (vv <= 0)
            {
                continue;
            }
            // g = u − λv; v ← v − (2η/vᵀv)·g; v ← v/|v|.
            TensorPrimitives.MultiplyAdd(vb, -lam, ub, g);
            TensorPrimitives.MultiplyAdd(g, -2 * stepSize / vv, vb, vb);
            TensorPrimitives.Divide(vb, TensorPrimitives.Norm(vb), vb);
        }
    }

    protected override float ExpectedCost(int edges, int ops, float[] alpha, float[] table, float[] probabilities,
        float[] dAlpha)
    {
        float total = 0;
        for (int e = 0; e < edges; e++)
        {
            ReadOnlySpan<float> l = table.AsSpan(e * ops, ops);
            for (int o = 0; o < ops; o++)
            {
                if (!float.IsFinite(l[o]))
                {
                    throw new ArgumentException($"Latency table entry (e = {e}, o = {o}) is not finite.",
                        nameof(table));
                }
            }
            Span<float> p = probabilities.AsSpan(e * ops, ops);
            TensorPrimitives.SoftMax(alpha.AsSpan(e * ops, ops), p);
            float expected = TensorPrimitives.Dot(p, l);
            TensorPrimitives.Subtract(l, expected, dAlpha.AsSpan(e * ops, ops));
            TensorPrimitives.Multiply(p, dAlpha.AsSpan(e * ops, ops), dAlpha.AsSpan(e * ops, ops));
            total += expected;
        }
        return total;
    }

    protected override void BatchLookup(int population, int slots, int[] entryIndex, float[] entryCost,
        float[] totals)
    {
        for (int p = 0; p < population; p++)
        {
            float sum = 0;
            for (int s = 0; s < slots; s++)
            {
                int entry = entryIndex[(p * slots) + s];
                if ((uint)entry >= (uint)entryCost.Length)
                {
                    throw new ArgumentOutOfRangeException(nameof(entryIndex),
                        $"entryIndex of population member p = {p}, slot s = {s} is outside the "
                        + $"{entryCost.Length} entries.");
                }
                sum += entryCost[entry];
            }
            totals[p] = sum;
        }
    }

    protected override void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha, float[] a, int lda,
        float[] b, int ldb, float beta, float[] c, int ldc) =>
        Kernels.Cpu.Sgemm.Multiply(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    protected override void Relu(float[] x, float[] y) => ActivationKernel.Relu(x, y);

    protected override void ReluBackward(float[] x, float[] dy, float[] dx, bool accumulate) =>
        ActivationKernel.ReluBackward(x, dy, dx, accumulate);

    protected override void DepthwiseForward(Conv2dShape shape, float[] x, float[] w, float[]? bias, float[] y) =>
        DepthwiseConv2dKernel.Forward(shape, x, w, bias, y);

    private static void MatVec(ReadOnlySpan<float> s, ReadOnlySpan<float> v, Span<float> u)
    {
        int d = v.Length;
        for (int r = 0; r < d; r++)
        {
            u[r] = TensorPrimitives.Dot(s.Slice(r * d, d), v);
        }
    }
}
