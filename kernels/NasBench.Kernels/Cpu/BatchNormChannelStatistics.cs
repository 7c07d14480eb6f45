namespace NasBench.Kernels.Cpu;

/// <summary>What a training-mode batch-norm forward computed for one channel of its batch: the shift its moments were
/// taken around, the remainder of the mean (mean = shift + delta) and 1/√(σ² + ε).</summary>
/// <remarks>Handing these back to <see cref="BatchNormKernel.ForwardWithStatistics"/> normalises the same batch again,
/// bit for bit, without the pass over the data that computing them costs: activation recomputation runs each forward
/// twice on the same input and needs the second run only for its intermediates.</remarks>
public readonly record struct BatchNormChannelStatistics(float Shift, double Delta, double InvStd);
