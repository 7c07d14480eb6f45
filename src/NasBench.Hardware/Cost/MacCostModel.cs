namespace NasBench.Hardware.Cost;

/// <summary>Cost = multiply-accumulates of one forward pass (FLOPs ≈ 2 × MACs), per sample.</summary>
/// <remarks>Counted for batch 1 so the cost does not depend on the training batch size.</remarks>
public sealed class MacCostModel(IOperationAnalyzer analyzer) : ICostModel
{
    public string Name => "flops";

    public string Unit => "MACs";

    public double Cost(OperationConfig operation) => analyzer.Count(operation with { Batch = 1 }).Macs;
}
