namespace NasBench.Tensors.Optim;

/// <summary>What an optimizer keeps for one parameter: named buffers of the parameter's shape (momentum, Adam's
/// moments) and the number of steps taken.</summary>
public sealed class ParameterState
{
    private readonly Dictionary<string, Tensor> _buffers = new(StringComparer.Ordinal);

    /// <summary>Steps applied to this parameter (Adam's bias correction counts from here).</summary>
    public int Step { get; set; }

    /// <summary>Buffers by name (for example <c>momentum_buffer</c>, <c>exp_avg</c>, <c>exp_avg_sq</c>).</summary>
    public IReadOnlyDictionary<string, Tensor> Buffers => _buffers;

    /// <summary>The buffer named <paramref name="name"/>, created with zeros of <paramref name="shapeOf"/>'s shape
    /// when absent; <paramref name="created"/> tells which.</summary>
    public Tensor GetOrCreate(string name, Tensor shapeOf, out bool created)
    {
        ArgumentNullException.ThrowIfNull(shapeOf);
        if (_buffers.TryGetValue(name, out var existing))
        {
            created = false;
            return existing;
        }
        var t = Tensor.CreateUnscoped(shapeOf.Shape);
        t.AsSpan().Clear();
        _buffers[name] = t;
        created = true;
        return t;
    }

    /// <summary>Replaces a buffer (a network that grew rebuilds its state this way). The tensor is taken out of any
    /// scope.</summary>
    public void Set(string name, Tensor buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        buffer.DetachFromScope();
        if (_buffers.TryGetValue(name, out var old) && !ReferenceEquals(old, buffer))
        {
            old.Dispose();
        }
        _buffers[name] = buffer;
    }

    internal void Clear()
    {
        foreach (var t in _buffers.Values)
        {
            t.Dispose();
        }
        _buffers.Clear();
        Step = 0;
    }
}
