namespace NasBench.Hardware.Cost;

/// <summary>Implemented by a search space: it alone knows what its operation names mean, so it counts them.</summary>
public interface IOperationAnalyzer
{
    OperationCounts Count(OperationConfig operation);
}
