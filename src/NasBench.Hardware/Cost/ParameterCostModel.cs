namespace NasBench.Hardware.Cost;

/// <summary>Cost = trainable parameters the operation adds.</summary>
public sealed class ParameterCostModel(IOperationAnalyzer analyzer) : ICostModel
{
    public string Name => "params";

    public string Unit => "parameters";

    public double Cost(OperationConfig operation) => analyzer.Count(operation).Parameters;
}
