using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Search.Splitting.Networks;

/// <summary>Index maps over channels, the one primitive behind every split: new channel c' is a copy of old channel
/// <c>map[c']</c> (old channels keep their index; offspring are appended).</summary>
internal static class ChannelGather
{
    /// <summary>[C, rest...] → [map.Length, rest...] with row c' = row map[c'].</summary>
    public static float[] Rows(Tensor source, int[] map)
    {
        int rows = source.Shape[0], row = source.Numel / rows;
        var src = source.AsReadOnlySpan();
        var result = new float[map.Length * row];
        for (int c = 0; c < map.Length; c++)
        {
            if ((uint)map[c] >= (uint)rows)
            {
                throw new ArgumentOutOfRangeException(nameof(map), map[c], $"Channel map entry {c} outside [0, {rows}).");
            }
            src.Slice(map[c] * row, row).CopyTo(result.AsSpan(c * row, row));
        }
        return result;
    }

    /// <summary>[O, I, inner] → [O, map.Length, inner] with input slice c' = scale[c'] · slice map[c'].</summary>
    public static float[] Inputs(Tensor source, int[] map, float[] scale)
    {
        int outs = source.Shape[0], ins = source.Shape[1], inner = source.Numel / (outs * ins);
        var src = source.AsReadOnlySpan();
        var result = new float[outs * map.Length * inner];
        for (int o = 0; o < outs; o++)
        {
            for (int c = 0; c < map.Length; c++)
            {
                var from = src.Slice(((o * ins) + map[c]) * inner, inner);
                var to = result.AsSpan(((o * map.Length) + c) * inner, inner);
                System.Numerics.Tensors.TensorPrimitives.Multiply(from, scale[c], to);
            }
        }
        return result;
    }

    /// <summary>A new parameter of <paramref name="shape"/> holding <paramref name="values"/>.</summary>
    public static Parameter NewParameter(float[] values, params ReadOnlySpan<int> shape)
    {
        using var scope = TensorScope.Enter();
        return new Parameter(Tensor.FromArray(values, shape));
    }

    /// <summary>A new module-owned (unscoped) tensor of <paramref name="shape"/> holding <paramref name="values"/>.
    /// </summary>
    public static Tensor NewBuffer(float[] values, params ReadOnlySpan<int> shape) =>
        Tensor.FromArray(values, shape).DetachFromScope();
}
