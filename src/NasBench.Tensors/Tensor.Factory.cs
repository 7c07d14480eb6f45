using NasBench.Tensors.Memory;

namespace NasBench.Tensors;

public partial class Tensor
{
    /// <summary>A tensor with undefined contents (pooled storage is not cleared): for outputs a kernel overwrites.
    /// </summary>
    public static Tensor Empty(params ReadOnlySpan<int> shape) => Create(shape, registerInScope: true);

    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(params ReadOnlySpan<int> shape)
    {
        var t = Empty(shape);
        t.AsSpan().Clear();
        return t;
    }

    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(params ReadOnlySpan<int> shape) => Full(1f, shape);

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(float value, params ReadOnlySpan<int> shape)
    {
        var t = Empty(shape);
        t.AsSpan().Fill(value);
        return t;
    }

    /// <summary>A rank-0 tensor holding <paramref name="value"/>.</summary>
    public static Tensor Scalar(float value) => Full(value, ReadOnlySpan<int>.Empty);

    /// <summary>A tensor holding a copy of <paramref name="data"/> in the given shape.</summary>
    /// <exception cref="ArgumentException">The element count of <paramref name="shape"/> differs from the data length.
    /// </exception>
    public static Tensor FromArray(ReadOnlySpan<float> data, params ReadOnlySpan<int> shape)
    {
        int numel = ShapeChecks.NumelOf(shape);
        if (numel != data.Length)
        {
            throw new ArgumentException(
                $"FromArray: shape {ShapeChecks.Format(shape)} needs {numel} elements, but the data has {data.Length}.");
        }
        var t = Empty(shape);
        data.CopyTo(t.AsSpan());
        return t;
    }

    /// <summary>Uniform values in [0, 1) drawn from <paramref name="generator"/>.</summary>
    public static Tensor Rand(Generator generator, params ReadOnlySpan<int> shape)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var t = Empty(shape);
        generator.FillUniform(t.AsSpan());
        return t;
    }

    /// <summary>Standard normal values drawn from <paramref name="generator"/>.</summary>
    public static Tensor Randn(Generator generator, params ReadOnlySpan<int> shape)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var t = Empty(shape);
        generator.FillNormal(t.AsSpan());
        return t;
    }

    /// <summary>Zeros of the same shape.</summary>
    public static Tensor ZerosLike(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Zeros(other.Shape);
    }

    /// <summary>A copy that shares nothing with this tensor and records no tape.</summary>
    public Tensor Clone()
    {
        var t = Empty(Shape);
        AsReadOnlySpan().CopyTo(t.AsSpan());
        return t;
    }

    /// <summary>Copies <paramref name="source"/>'s values into this tensor (same element count), without autograd.
    /// </summary>
    public void CopyFrom(Tensor source)
    {
        ArgumentNullException.ThrowIfNull(source);
        ShapeChecks.Numel("CopyFrom", "source", source, Numel);
        source.AsReadOnlySpan().CopyTo(AsSpan());
    }

    internal static Tensor Create(ReadOnlySpan<int> shape, bool registerInScope)
    {
        int numel = ShapeChecks.NumelOf(shape);
        return new Tensor(shape, new TensorStorage(numel, Device.Cpu), registerInScope);
    }

    /// <summary>An uninitialised tensor owned by no scope (gradients, optimizer state, module buffers).</summary>
    internal static Tensor CreateUnscoped(ReadOnlySpan<int> shape) => Create(shape, registerInScope: false);
}
