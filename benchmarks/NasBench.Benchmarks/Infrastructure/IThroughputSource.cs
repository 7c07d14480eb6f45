namespace NasBench.Benchmarks.Infrastructure;

/// <summary>What one benchmark operation does: floating-point operations or bytes moved.</summary>
public enum WorkKind
{
    Flop,
    Byte,
}

/// <summary>An amount of work per benchmark operation.</summary>
public readonly record struct Work(double Amount, WorkKind Kind)
{
    public static Work Flops(double amount) => new(amount, WorkKind.Flop);

    public static Work Bytes(double amount) => new(amount, WorkKind.Byte);
}

/// <summary>Implemented by benchmark classes that want GFLOP/s or GB/s columns.</summary>
/// <remarks>The host process creates a fresh instance, sets the <c>[Params]</c> members of the case by name, and asks
/// for the work of the named method; so the answer must depend only on parameters, not on <c>[GlobalSetup]</c>
/// state (benchmarks run in a child process the host cannot see into).</remarks>
public interface IThroughputSource
{
    Work WorkPerOperation(string benchmarkMethod);
}
