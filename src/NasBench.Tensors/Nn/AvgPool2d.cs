namespace NasBench.Tensors.Nn;

/// <summary>Average pooling over k×k windows, padding excluded from the count; [N, C, H, W] → [N, C, OH, OW].
/// </summary>
public sealed class AvgPool2d(int kernelSize, int? stride = null, int padding = 0) : Module<Tensor, Tensor>
{
    public int KernelSize { get; } = kernelSize;

    public int Stride { get; } = stride ?? kernelSize;

    public int Padding { get; } = padding;

    public override Tensor Forward(Tensor input) => Functional.AvgPool2d(input, KernelSize, Stride, Padding);
}
