using NasBench.Kernels.Cpu;
using NasBench.Tensors.Profiling;

namespace NasBench.Tensors.Ops;

/// <summary>Matrix product and the affine (fully connected) layer, both through <see cref="Sgemm"/>; backward uses
/// the transpose flags and beta = 1 to accumulate straight into existing gradients.</summary>
internal static class MatMulOp
{
    /// <summary>[M, K] · [K, N] → [M, N].</summary>
    public static Tensor MatMul(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ShapeChecks.Rank("MatMul", "left operand", a, 2, "[M, K]");
        ShapeChecks.Rank("MatMul", "right operand", b, 2, "[K, N]");
        int m = a.Shape[0], k = a.Shape[1], n = b.Shape[1];
        ShapeChecks.Dim("MatMul", "right operand", b, 0, k, "inner size K (columns of the left operand)");
        var y = Tensor.Empty(m, n);
        if (MacCounter.IsActive)
        {
            MacCounter.Add((long)m * n * k);
        }
        Sgemm.Multiply(false, false, m, n, k, 1f, a.AsReadOnlySpan(), k, b.AsReadOnlySpan(), n, 0f, y.AsSpan(), n);
        if (Tensor.NeedsGrad(a, b))
        {
            y.SetGradFn("MatMul", [a, b], dy =>
            {
                if (a.RequiresGrad)
                {
                    // dA = dY · Bᵀ
                    var da = Tensor.GradTarget(a, out bool acc);
                    Sgemm.Multiply(false, true, m, k, n, 1f, dy.AsReadOnlySpan(), n, b.AsReadOnlySpan(), n,
                        acc ? 1f : 0f, da, k);
                }
                if (b.RequiresGrad)
                {
                    // dB = Aᵀ · dY
                    var db = Tensor.GradTarget(b, out bool acc);
                    Sgemm.Multiply(true, false, k, n, m, 1f, a.AsReadOnlySpan(), k, dy.AsReadOnlySpan(), n,
                        acc ? 1f : 0f, db, n);
                }
            });
        }
        return y;
    }

    /// <summary>y[B, out] = x[B, in] · W[out, in]ᵀ + bias[out].</summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        ShapeChecks.Rank("Linear", "input", x, 2, "[batch, in_features]");
        ShapeChecks.Rank("Linear", "weight", weight, 2, "[out_features, in_features]");
        int batch = x.Shape[0], inF = x.Shape[1], outF = weight.Shape[0];
        ShapeChecks.Dim("Linear", "input", x, 1, weight.Shape[1], "in_features (weight's dimension 1)");
        if (bias is not null)
        {
            ShapeChecks.Rank("Linear", "bias", bias, 1, "[out_features]");
            ShapeChecks.Dim("Linear", "bias", bias, 0, outF, "out_features");
        }
        var y = Tensor.Empty(batch, outF);
        if (MacCounter.IsActive)
        {
            MacCounter.Add((long)batch * outF * inF);
        }
        var ys = y.AsSpan();
        if (bias is not null)
        {
            var bs = bias.AsReadOnlySpan();
            for (int r = 0; r < batch; r++)
            {
                bs.CopyTo(ys.Slice(r * outF, outF));
            }
        }
        Sgemm.Multiply(false, true, batch, outF, inF, 1f, x.AsReadOnlySpan(), inF, weight.AsReadOnlySpan(), inF,
            bias is null ? 0f : 1f, ys, outF);
        bool biasGrad = bias is not null && Tensor.NeedsGrad(bias);
        if (Tensor.NeedsGrad(x, weight) || biasGrad)
        {
            Tensor[] inputs = bias is null ? [x, weight] : [x, weight, bias];
            y.SetGradFn("Linear", inputs, dy =>
            {
                var g = dy.AsReadOnlySpan();
                if (x.RequiresGrad)
                {
                    var dx = Tensor.GradTarget(x, out bool acc);
                    Sgemm.Multiply(false, false, batch, inF, outF, 1f, g, outF, weight.AsReadOnlySpan(), inF,
                        acc ? 1f : 0f, dx, inF);
                }
                if (weight.RequiresGrad)
                {
                    var dw = Tensor.GradTarget(weight, out bool acc);
                    Sgemm.Multiply(true, false, outF, inF, batch, 1f, g, outF, x.AsReadOnlySpan(), inF,
                        acc ? 1f : 0f, dw, inF);
                }
                if (bias is not null && bias.RequiresGrad)
                {
                    var db = Tensor.GradTarget(bias, out bool acc);
                    for (int r = 0; r < batch; r++)
                    {
                        Accumulate.Copy(g.Slice(r * outF, outF), db, acc || r > 0);
                    }
                    if (batch == 0 && !acc)
                    {
                        db.Clear();
                    }
                }
            });
        }
        return y;
    }
}
