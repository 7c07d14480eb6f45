using System.Numerics.Tensors;

namespace NasBench.Data;

/// <summary>Per-channel mean and standard deviation used to turn 8-bit pixels into network inputs.</summary>
/// <remarks>
/// Both statistics are on the [0, 1] scale, as torchvision writes them: <c>y = (b / 255 − mean[c]) / std[c]</c>
/// for a byte <c>b</c> of channel <c>c</c>. <see cref="Mean"/> and <see cref="Std"/> have one entry per channel.
/// </remarks>
public sealed class ChannelNormalization
{
    private readonly float[] _mean;
    private readonly float[] _std;

    /// <summary>Creates a normalisation from per-channel statistics on the [0, 1] scale.</summary>
    public ChannelNormalization(ReadOnlySpan<float> mean, ReadOnlySpan<float> std)
    {
        if (mean.Length == 0 || mean.Length != std.Length)
        {
            throw new ArgumentException(
                $"Mean and std need one entry per channel; got {mean.Length} and {std.Length}.", nameof(std));
        }

        foreach (float s in std)
        {
            if (!(s > 0f) || !float.IsFinite(s))
            {
                throw new ArgumentOutOfRangeException(nameof(std), "Every std must be positive and finite.");
            }
        }

        _mean = mean.ToArray();
        _std = std.ToArray();
    }

    /// <summary>Per-channel mean on the [0, 1] scale.</summary>
    public ReadOnlySpan<float> Mean => _mean;

    /// <summary>Per-channel standard deviation on the [0, 1] scale.</summary>
    public ReadOnlySpan<float> Std => _std;

    /// <summary>Number of channels this normalisation covers.</summary>
    public int Channels => _mean.Length;

    /// <summary>Converts one CHW byte image into normalised floats.</summary>
    /// <remarks>
    /// <paramref name="source"/> and <paramref name="destination"/> hold <c>Channels × planeSize</c> values.
    /// The map is computed as <c>b · (1/(255·std)) + (−mean/std)</c>, so results can differ from the textbook
    /// formula in the last bit.
    /// </remarks>
    public void Apply(ReadOnlySpan<byte> source, Span<float> destination, int planeSize)
    {
        int size = Channels * planeSize;
        if (source.Length != size || destination.Length < size)
        {
            throw new ArgumentException(
                $"Expected {Channels} planes of {planeSize} values; " +
                $"got {source.Length} bytes into {destination.Length} floats.");
        }

        for (int c = 0; c < Channels; c++)
        {
            Span<float> plane = destination.Slice(c * planeSize, planeSize);
            TensorPrimitives.ConvertTruncating<byte, float>(source.Slice(c * planeSize, planeSize), plane);
            float scale = 1f / (255f * _std[c]);
            float bias = -_mean[c] / _std[c];
            TensorPrimitives.Multiply(plane, scale, plane);
            TensorPrimitives.Add(plane, bias, plane);
        }
    }
}
