namespace NasBench.Hardware.Cost;

/// <summary>Static counts of one operation: trainable parameters, multiply-accumulates of one forward pass (convolution
/// and linear layers, the usual convention), and bytes of activations it writes.</summary>
public readonly record struct OperationCounts(long Parameters, long Macs, long ActivationBytes);
