namespace NasBench.Tensors.Nn;

/// <summary>Max pooling over k×k windows (stride defaults to k); [N, C, H, W] → [N, C, OH, OW].</summary>
public sealed class MaxPool2d(int kernelSize, int? stride = null, int padding = 0) : Module<Tensor, Tensor>
{
    public int KernelSize { get; } = kernelSize;

    public int Stride { get; } = stride ?? kernelSize;

    public int Padding { get; } = padding;

    public override Tensor Forward(Tensor input) => Functional.MaxPool2d(input, KernelSize, Stride, Padding);
}
