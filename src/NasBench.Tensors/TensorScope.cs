namespace NasBench.Tensors;

/// <summary>A region whose tensors go back to the buffer pool when it ends (TorchSharp's <c>NewDisposeScope()</c>).
/// </summary>
/// <remarks>
/// Every tensor created while a scope is current on this thread is owned by the innermost scope. Disposing the scope
/// disposes the tensors it still owns; a tensor escapes with <see cref="Tensor.MoveToOuterScope"/> (to the enclosing
/// scope, or to no scope) or <see cref="Tensor.DetachFromScope"/>. Parameters, module buffers, gradients and optimizer
/// state never belong to a scope. Scopes nest and are thread-static; dispose them in reverse order of entry.
/// <code>
/// using (var scope = TensorScope.Enter())
/// {
///     var loss = criterion.Forward(model.Forward(x), labels);
///     loss.Backward();
///     optimizer.Step();
/// }   // every intermediate tensor is back in the pool here
/// </code>
/// </remarks>
public sealed class TensorScope : IDisposable
{
    [ThreadStatic]
    private static TensorScope? _current;

    [ThreadStatic]
    private static Stack<List<Tensor>>? _freeLists;

    private List<Tensor>? _owned;
    private readonly TensorScope? _outer;

    private TensorScope(TensorScope? outer, List<Tensor> owned)
    {
        _outer = outer;
        _owned = owned;
    }

    /// <summary>The innermost scope on this thread, or null.</summary>
    public static TensorScope? Current => _current;

    /// <summary>The scope this one is nested in, or null.</summary>
    public TensorScope? Outer => _outer;

    /// <summary>How many tensors this scope currently owns (tensors moved out are not counted).</summary>
    public int OwnedCount
    {
        get
        {
            int count = 0;
            if (_owned is not null)
            {
                foreach (var t in _owned)
                {
                    if (ReferenceEquals(t.Scope, this))
                    {
                        count++;
                    }
                }
            }
            return count;
        }
    }

    /// <summary>Starts a scope and makes it current on this thread.</summary>
    public static TensorScope Enter()
    {
        _freeLists ??= new Stack<List<Tensor>>();
        var list = _freeLists.TryPop(out var reused) ? reused : new List<Tensor>(256);
        var scope = new TensorScope(_current, list);
        _current = scope;
        return scope;
    }

    /// <summary>Disposes every tensor the scope still owns and makes the outer scope current.</summary>
    public void Dispose()
    {
        var owned = _owned;
        if (owned is null)
        {
            return;
        }
        _owned = null;
        if (!ReferenceEquals(_current, this))
        {
            throw new InvalidOperationException("TensorScope disposed out of order: dispose inner scopes first.");
        }
        _current = _outer;
        foreach (var t in owned)
        {
            if (ReferenceEquals(t.Scope, this))
            {
                t.Dispose();
            }
        }
        owned.Clear();
        _freeLists!.Push(owned);
    }

    internal void Add(Tensor tensor)
    {
        if (_owned is null)
        {
            throw new ObjectDisposedException(nameof(TensorScope), "Cannot move a tensor into a disposed scope.");
        }
        _owned.Add(tensor);
    }
}
