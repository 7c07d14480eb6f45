namespace NasBench.Hardware.Cost;

/// <summary>A hardware-aware loss and its partial derivatives.</summary>
/// <param name="Loss">L(CE, LAT).</param>
/// <param name="DCrossEntropy">∂L/∂CE: the factor the cross-entropy gradient is scaled by.</param>
/// <param name="DLatency">∂L/∂LAT: the factor the latency gradient (∂LAT/∂α) is scaled by.</param>
public readonly record struct HardwareLossValue(double Loss, double DCrossEntropy, double DLatency);
