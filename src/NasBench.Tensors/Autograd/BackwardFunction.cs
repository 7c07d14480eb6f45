namespace NasBench.Tensors.Autograd;

/// <summary>Adds an op's input gradients given the gradient of its output (same shape as the output).</summary>
internal delegate void BackwardFunction(Tensor gradOutput);
