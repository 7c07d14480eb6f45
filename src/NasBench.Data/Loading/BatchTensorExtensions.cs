using NasBench.Tensors;

namespace NasBench.Data.Loading;

/// <summary>Turns a loader batch into engine tensors.</summary>
public static class BatchTensorExtensions
{
    /// <summary>The batch's images as a new [N, C, H, W] tensor (a copy, owned by the current
    /// <see cref="TensorScope"/>), so it stays valid after the loader recycles the batch.</summary>
    public static Tensor ToImageTensor(this Batch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var (n, c, h, w) = batch.Dimensions;
        var t = Tensor.Empty(n, c, h, w);
        batch.ImageSpan.CopyTo(t.AsSpan());
        return t;
    }
}
