using NasBench.Tensors.Memory;

namespace NasBench.Tensors.Nn;

/// <summary>A trainable tensor owned by a module: requires grad, belongs to no <see cref="TensorScope"/>, and is
/// found by <see cref="Module.Parameters"/>.</summary>
public sealed class Parameter : Tensor
{
    /// <summary>A parameter holding a copy of <paramref name="data"/>'s values (the source is left untouched, so it
    /// may belong to a scope).</summary>
    public Parameter(Tensor data, bool requiresGrad = true)
        : base(ShapeOf(data), new TensorStorage(data.Numel, data.Device), registerInScope: false)
    {
        data.AsReadOnlySpan().CopyTo(AsSpan());
        RequiresGrad = requiresGrad;
    }

    /// <summary>A zero-filled parameter of the given shape.</summary>
    public Parameter(params ReadOnlySpan<int> shape)
        : base(shape, new TensorStorage(ShapeChecks.NumelOf(shape), Device.Cpu), registerInScope: false)
    {
        AsSpan().Clear();
        RequiresGrad = true;
    }

    private static ReadOnlySpan<int> ShapeOf(Tensor data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.Shape;
    }
}
