namespace NasBench.Hardware.Cost;

/// <summary>How expensive an operation is on some measure (parameters, MACs, latency, energy). Search sees hardware
/// only through this interface.</summary>
public interface ICostModel
{
    /// <summary>Short name (<c>params</c>, <c>macs</c>, <c>latency:cpu</c>).</summary>
    string Name { get; }

    /// <summary>Unit of <see cref="Cost"/> (<c>parameters</c>, <c>MACs</c>, <c>ms</c>, <c>mJ</c>).</summary>
    string Unit { get; }

    /// <summary>The cost of one operation; ≥ 0.</summary>
    /// <exception cref="KeyNotFoundException">A table-based model has no entry for <paramref name="operation"/>.</exception>
    double Cost(OperationConfig operation);
}
