using NasBench.Search.Splitting.Networks;

namespace NasBench.Search.Splitting;

/// <summary>Applies splits to a <see cref="GrowableNetwork"/> (splitting.md §1.5 and §5.2): offspring incoming
/// weights θ ± ε·v, BN channel and bias copied, every consumer rewired with the copies' output weights.</summary>
/// <remarks>
/// <para>Schemes (weights multiply the consumers' input slices; ε·δ displaces the incoming weights):
/// Positive: copies (½, +εv_min), (½, −εv_min); Negative: (1+a, 0), (−a/2, +εv_max), (−a/2, −εv_max);
/// Combined: ((1+a)/2, ±εv_min), (−a/2, ±εv_max). The parent keeps its index and becomes the first copy; the others
/// are appended after the unit's existing channels in action order.</para>
/// <para>Units are processed from the last to the first. A unit's mixing consumer may itself be split in the same
/// step (consecutive MobileNet pointwise layers); splitting the consumer first means its eigenvectors still have
/// the old input width, and the later input duplication then acts on the parent and offspring rows alike, which is
/// the S2D repo's "halve and duplicate the eigenvector" extension without computing it.</para>
/// </remarks>
public static class NeuronSplitter
{
    /// <param name="epsilon">Displacement ε along the unit eigenvectors (the authors use 0.01).</param>
    /// <param name="negativeMass">a, the bound on the negative output weight mass of signed schemes.</param>
    /// <exception cref="ArgumentException">A neuron index is out of range or repeated, or a needed vector is missing
    /// or has the wrong length.</exception>
    public static void Apply(GrowableNetwork network, IReadOnlyList<SplitAction> actions, float epsilon,
        float negativeMass = 0.5f)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(actions);
        float a = negativeMass;
        foreach (var group in actions.GroupBy(x => x.UnitIndex).OrderByDescending(g => g.Key))
        {
            var unit = network.Splittable(group.Key);
            int c = unit.OutWidth, d = unit.FanIn;
            var map = new List<int>(Enumerable.Range(0, c));
            var scale = new List<float>(Enumerable.Repeat(1f, c));
            var delta = new List<float[]?>(new float[]?[c]);
            var seen = new HashSet<int>();
            foreach (var act in group)
            {
                int j = act.Neuron;
                if ((uint)j >= (uint)c || !seen.Add(j))
                {
                    throw new ArgumentException(
                        $"Split of unit {group.Key}: neuron {j} is outside [0, {c}) or listed twice.", nameof(actions));
                }
                switch (act.Scheme)
                {
                    case SplitScheme.Positive:
                    {
                        var v = Scaled(act.MinVector, d, epsilon, group.Key, j, "v_min");
                        (scale[j], delta[j]) = (0.5f, v);
                        Append(j, 0.5f, Negate(v));
                        break;
                    }
                    case SplitScheme.Negative:
                    {
                        var w = Scaled(act.MaxVector, d, epsilon, group.Key, j, "v_max");
                        (scale[j], delta[j]) = (1f + a, null);
                        Append(j, -a / 2, w);
                        Append(j, -a / 2, Negate(w));
                        break;
                    }
                    case SplitScheme.Combined:
                    {
                        var v = Scaled(act.MinVector, d, epsilon, group.Key, j, "v_min");
                        var w = Scaled(act.MaxVector, d, epsilon, group.Key, j, "v_max");
                        (scale[j], delta[j]) = ((1f + a) / 2, v);
                        Append(j, (1f + a) / 2, Negate(v));
                        Append(j, -a / 2, w);
                        Append(j, -a / 2, Negate(w));
                        break;
                    }
                    default:
                        throw new ArgumentException($"Unknown split scheme {act.Scheme}.", nameof(actions));
                }
            }
            int[] mapArray = [.. map];
            float[] scaleArray = [.. scale];
            unit.SplitOutputs(mapArray, [.. delta]);
            foreach (var consumer in network.Consumers(group.Key))
            {
                consumer.FollowInputSplit(mapArray, scaleArray);
            }

            void Append(int parent, float weight, float[]? displacement)
            {
                map.Add(parent);
                scale.Add(weight);
                delta.Add(displacement);
            }
        }
    }

    private static float[] Scaled(float[]? vector, int d, float epsilon, int unit, int neuron, string name)
    {
        if (vector is null || vector.Length != d)
        {
            throw new ArgumentException(
                $"Split of unit {unit}, neuron {neuron}: {name} must have d = {d} values, got {vector?.Length ?? 0}.");
        }
        double norm = System.Numerics.Tensors.TensorPrimitives.Norm<float>(vector);
        if (!(norm > 0))
        {
            throw new ArgumentException($"Split of unit {unit}, neuron {neuron}: {name} is zero or not finite.");
        }
        return [.. vector.Select(x => (float)(x * epsilon / norm))];
    }

    private static float[] Negate(float[] v) => [.. v.Select(x => -x)];
}
