using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Search.Splitting.Networks;

/// <summary>A unit whose output neurons can be split: a linear map of its input (conv or fully connected) with weight
/// [C, d...], an optional eval-mode per-channel scale c_j (batch norm, §2.2) and Swish.</summary>
/// <remarks>A neuron is output channel j; its parameter θ_j is row j of <see cref="Weight"/> (d = fan-in). The BN scale
/// and shift are treated as constants while S is estimated and copied on split, as in the authors' code.</remarks>
public abstract class SplittableUnit : GrowableUnit
{
    /// <summary>[C, ...] incoming weights; row j (d values) is neuron j's θ.</summary>
    public abstract Parameter Weight { get; }

    /// <summary>d, the number of incoming weights of one neuron.</summary>
    public int FanIn => Weight.Numel / OutWidth;

    /// <summary>The same linear map applied to <paramref name="x"/> with another weight-shaped kernel (the v·z and
    /// y·z terms of §3.2): conv with the unit's geometry, or x·Kᵀ.</summary>
    public abstract Tensor Map(Tensor x, Tensor kernel);

    /// <summary>c_j² per channel as a [C] tensor (γ²/(var + eps) with BN, ones without).</summary>
    public abstract Tensor ScaleSquared();

    /// <summary>Replaces the unit's outputs: new channel c' is old channel map[c'] with incoming weights
    /// θ_{map[c']} + delta[c'] (delta null: unchanged); BN and bias are copied.</summary>
    public abstract void SplitOutputs(int[] map, float[]?[] delta);

    /// <summary>Swish of the pre-activation plus the probe's auxiliary terms.</summary>
    protected Tensor Activate(Tensor x, Tensor a, ProbeSlot? probe)
    {
        var h = SmoothActivation.Swish(a);
        if (probe is null)
        {
            return h;
        }
        if (probe.Capture)
        {
            probe.Input = x;
            probe.PreActivation = a;
            h.RetainGrad();
            probe.Output = h;
            return h;
        }
        Tensor q0;
        using (Tensor.NoGrad())
        {
            q0 = SmoothActivation.SwishSecondDerivative(a).Mul(ScaleSquared());
        }
        for (int k = 0; k < probe.Vectors.Count; k++)
        {
            Tensor q;
            using (Tensor.NoGrad())
            {
                q = Map(x, probe.Vectors[k]).Mul(q0);
            }
            h = h.Add(Map(x, probe.Auxiliaries[k]).Mul(q));
        }
        return h;
    }

    /// <summary>Rows of the weight gathered by <paramref name="map"/> plus the displacements.</summary>
    protected float[] SplitWeightRows(int[] map, float[]?[] delta)
    {
        if (delta.Length != map.Length)
        {
            throw new ArgumentException($"Split of {Spec.Kind}: {map.Length} map entries but {delta.Length} deltas.");
        }
        int d = FanIn;
        var rows = ChannelGather.Rows(Weight, map);
        for (int c = 0; c < map.Length; c++)
        {
            if (delta[c] is { } dv)
            {
                if (dv.Length != d)
                {
                    throw new ArgumentException(
                        $"Split of {Spec.Kind}: displacement for channel {c} has {dv.Length} values, expected d = {d}.");
                }
                var row = rows.AsSpan(c * d, d);
                System.Numerics.Tensors.TensorPrimitives.Add(row, dv, row);
            }
        }
        return rows;
    }
}
