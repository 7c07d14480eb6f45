namespace NasBench.Hardware.Cost;

/// <summary>Cost = bytes of activations the operation writes for one sample (float32).</summary>
public sealed class ActivationMemoryCostModel(IOperationAnalyzer analyzer) : ICostModel
{
    public string Name => "activations";

    public string Unit => "bytes";

    public double Cost(OperationConfig operation) => analyzer.Count(operation with { Batch = 1 }).ActivationBytes;
}
