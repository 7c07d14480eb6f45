using System.Numerics.Tensors;
using NasBench.Kernels.Cpu;
using NasBench.Search.Splitting.Networks;
using NasBench.Tensors;

namespace NasBench.Search.Splitting;

/// <summary>The exact S2D path (splitting.md §2.4): every neuron's splitting matrix from back-propagation, then a
/// double-precision eigen-decomposition per neuron.</summary>
/// <remarks>
/// For unit ℓ with eval-mode BN scale c_j, one backward pass gives g = ∂L/∂h at every output position p; then
/// <c>S_j = mean over batches of Σ_p g_{j,p} · σ''(a_{j,p}) · c_j² · z_p z_pᵀ</c> with z_p the input patch
/// (<see cref="PatchMatrix"/>), L the batch-mean cross-entropy. That is the same quantity the §2.4 auxiliary-Y trick
/// yields, assembled directly from the retained output gradient (no [C, d, d] auxiliary in the graph).
/// Cost: C·M·d²/2 multiply-adds per batch (M = N·OH·OW positions) and memory C·d² floats per unit (pitfall P11);
/// the eigen-decompositions are C·O(d³) per unit.
/// </remarks>
public static class ExactSplitting
{
    /// <summary>Rows of S kept in cache together while streaming the patches (64 rows × d ≤ 1152 floats ≈ 295 KB).
    /// </summary>
    private const int RowBlock = 64;

    /// <summary>S for every neuron of the given units (default: all splittable units), averaged over the batches.
    /// </summary>
    /// <returns>Unit index → [C, d, d] row-major symmetric matrices.</returns>
    public static Dictionary<int, float[]> Matrices(GrowableNetwork network, IReadOnlyList<LabeledBatch> batches,
        IReadOnlyList<int>? units = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(batches);
        if (batches.Count == 0)
        {
            throw new ArgumentException("ExactSplitting needs at least one batch.", nameof(batches));
        }
        units ??= network.SplittableIndices;
        var sums = units.ToDictionary(u => u, u =>
        {
            var unit = network.Splittable(u);
            return new float[(long)unit.OutWidth * unit.FanIn * unit.FanIn];
        });
        bool wasTraining = network.IsTraining;
        network.Eval();
        try
        {
            foreach (var batch in batches)
            {
                using var scope = TensorScope.Enter();
                var probes = units.ToDictionary(u => u, _ => ProbeSlot.ForCapture());
                var logits = network.Forward(batch.ToTensor(), probes);
                Functional.CrossEntropy(logits, batch.Labels).Backward();
                foreach (int u in units)
                {
                    Accumulate(network.Splittable(u), probes[u], sums[u]);
                }
            }
        }
        finally
        {
            network.ZeroGrad();
            network.Train(wasTraining);
        }
        foreach (var (u, s) in sums)
        {
            int d = network.Splittable(u).FanIn;
            FinishSymmetric(s, d, 1f / batches.Count);
        }
        return sums;
    }

    /// <summary>λ_min, λ_max and their unit eigenvectors for every neuron, from <see cref="Matrices"/> and
    /// <see cref="ExactEigen"/> (double precision).</summary>
    public static IReadOnlyList<LayerSplitIndices> Estimate(GrowableNetwork network,
        IReadOnlyList<LabeledBatch> batches, IReadOnlyList<int>? units = null)
    {
        var matrices = Matrices(network, batches, units);
        return [.. matrices.OrderBy(kv => kv.Key).Select(kv => Decompose(kv.Key, network.Splittable(kv.Key), kv.Value))];
    }

    /// <summary>Eigen-decomposes each neuron's matrix of one unit.</summary>
    public static LayerSplitIndices Decompose(int unitIndex, SplittableUnit unit, float[] matrices)
    {
        ArgumentNullException.ThrowIfNull(unit);
        int c = unit.OutWidth, d = unit.FanIn;
        var lmin = new double[c];
        var lmax = new double[c];
        var vmin = new float[c * d];
        var vmax = new float[c * d];
        CpuParallel.For(c, j =>
        {
            var e = ExactEigen.Compute(matrices.AsSpan(j * d * d, d * d), d);
            lmin[j] = e.MinValue;
            lmax[j] = e.MaxValue;
            e.MinVector.CopyTo(vmin.AsSpan(j * d, d));
            e.MaxVector.CopyTo(vmax.AsSpan(j * d, d));
        });
        return new LayerSplitIndices(unitIndex, c, d, lmin, vmin, lmax, vmax);
    }

    private static void Accumulate(SplittableUnit unit, ProbeSlot slot, float[] sums)
    {
        var g = (slot.Output?.Grad ?? throw new InvalidOperationException(
            $"Unit {unit.Spec.Kind}: no gradient reached the captured output.")).AsReadOnlySpan();
        var a = slot.PreActivation!.AsReadOnlySpan();
        int c = unit.OutWidth, d = unit.FanIn;
        int n = slot.Output.Shape[0], plane = slot.Output.Numel / (n * c);
        var c2 = unit.ScaleSquared().AsReadOnlySpan();
        var z = PatchMatrix.Build(unit, slot.Input!, out int rows);
        // r[j, m]: the weight of z_m z_mᵀ in S_j, contiguous per neuron.
        var r = new float[(long)c * rows];
        for (int b = 0; b < n; b++)
        {
            for (int j = 0; j < c; j++)
            {
                int src = ((b * c) + j) * plane;
                int dst = (j * rows) + (b * plane);
                for (int p = 0; p < plane; p++)
                {
                    r[dst + p] = g[src + p] * SmoothActivation.SwishSecondDerivative(a[src + p]) * c2[j];
                }
            }
        }
        CpuParallel.For(c, j =>
        {
            var s = sums.AsSpan(j * d * d, d * d);
            var rj = r.AsSpan(j * rows, rows);
            // Upper triangle only, row blocks outermost so the block of S stays in cache while all patches stream.
            for (int a0 = 0; a0 < d; a0 += RowBlock)
            {
                int a1 = Math.Min(d, a0 + RowBlock);
                for (int m = 0; m < rows; m++)
                {
                    float coef = rj[m];
                    if (coef == 0f)
                    {
                        continue;
                    }
                    var zm = z.AsSpan(m * d, d);
                    for (int i = a0; i < a1; i++)
                    {
                        float ci = coef * zm[i];
                        if (ci != 0f)
                        {
                            var row = s.Slice((i * d) + i, d - i);
                            TensorPrimitives.MultiplyAdd(zm[i..], ci, row, row);
                        }
                    }
                }
            }
        });
    }

    private static void FinishSymmetric(float[] sums, int d, float scale)
    {
        int c = sums.Length / (d * d);
        for (int j = 0; j < c; j++)
        {
            var s = sums.AsSpan(j * d * d, d * d);
            for (int i = 0; i < d; i++)
            {
                for (int k = i; k < d; k++)
                {
                    float v = s[(i * d) + k] * scale;
                    s[(i * d) + k] = v;
                    s[(k * d) + i] = v;
                }
            }
        }
    }
}
