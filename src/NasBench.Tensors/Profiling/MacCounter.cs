namespace NasBench.Tensors.Profiling;

/// <summary>Counts the multiply-accumulates of the forward passes run on this thread while it is active.</summary>
/// <remarks>
/// <para>Convolutions and matrix products (including <see cref="Functional.Linear"/>) report
/// <c>N · C_out · H_out · W_out · (C_in / groups) · K_H · K_W</c> and <c>M · N · K</c> respectively; bias additions,
/// batch norm, pooling and element-wise work are not multiply-accumulates and are not counted (the convention of
/// the NAS literature's "MACs"/"multi-adds"). Backward passes are never counted.</para>
/// <para>The counter is thread-static, like <see cref="TensorScope"/>: start it on the thread that runs the forward
/// pass. Counters nest; an operation adds to every active counter, so an outer counter sees the total of the inner
/// ones.</para>
/// <code>
/// using (var counter = MacCounter.Start())
/// {
///     model.Forward(x);
///     long macs = counter.Total;
/// }
/// </code>
/// </remarks>
public sealed class MacCounter : IDisposable
{
    [ThreadStatic]
    private static MacCounter? _current;

    private readonly MacCounter? _outer;
    private bool _disposed;

    private MacCounter(MacCounter? outer) => _outer = outer;

    /// <summary>Multiply-accumulates counted since <see cref="Start"/>.</summary>
    public long Total { get; private set; }

    /// <summary>Whether a counter is active on this thread (ops skip the arithmetic otherwise).</summary>
    /// <remarks>False while a checkpoint recomputes its function in backward: that is backward work.</remarks>
    public static bool IsActive => _current is not null && !Ops.CheckpointOp.IsRecomputing;

    /// <summary>Starts a counter on this thread; dispose it to stop counting.</summary>
    public static MacCounter Start()
    {
        var counter = new MacCounter(_current);
        _current = counter;
        return counter;
    }

    /// <summary>Adds <paramref name="macs"/> to every active counter on this thread (called by the ops).</summary>
    internal static void Add(long macs)
    {
        for (var c = _current; c is not null; c = c._outer)
        {
            c.Total += macs;
        }
    }

    /// <summary>Stops counting; <see cref="Total"/> stays readable.</summary>
    /// <exception cref="InvalidOperationException">A counter started inside this one is still active.</exception>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        if (!ReferenceEquals(_current, this))
        {
            throw new InvalidOperationException(
                "MacCounter: dispose counters in reverse order of Start (an inner counter is still active).");
        }
        _current = _outer;
        _disposed = true;
    }
}
