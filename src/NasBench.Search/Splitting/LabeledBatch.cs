using NasBench.Tensors;

namespace NasBench.Search.Splitting;

/// <summary>A mini-batch kept for the splitting passes (which revisit the same batches): NCHW images and labels.
/// </summary>
/// <param name="Images">N·C·H·W values.</param>
/// <param name="Labels">N class labels.</param>
/// <param name="Shape">(N, C, H, W).</param>
public sealed record LabeledBatch(float[] Images, int[] Labels, (int N, int C, int H, int W) Shape)
{
    /// <summary>The images as a tensor owned by the current scope.</summary>
    public Tensor ToTensor() => Tensor.FromArray(Images, Shape.N, Shape.C, Shape.H, Shape.W);
}
