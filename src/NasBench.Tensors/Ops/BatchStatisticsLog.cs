namespace NasBench.Tensors.Ops;

/// <summary>The batch statistics a checkpointed function's first forward computed, in the order its batch norms ran;
/// the recomputation in backward takes them back in the same order instead of passing over each input again.</summary>
/// <remarks>
/// Why: a checkpoint runs its function twice on the same inputs, and the batch-norm moments are a full read of every
/// normalised tensor that the second run would only repeat (the values are the same because the function must be
/// deterministic). Entries are whatever the recording op needs to normalise bit for bit the same way; each op checks
/// that the entry it is handed is its own kind and size, so a function that does not replay the same sequence of
/// norms fails loudly instead of normalising with another layer's statistics.
/// </remarks>
internal sealed class BatchStatisticsLog
{
    private readonly List<object> _entries = [];
    private int _next;

    public int Count => _entries.Count;

    /// <summary>How many entries the replay has taken so far.</summary>
    public int Replayed => _next;

    public void Add(object entry) => _entries.Add(entry);

    /// <summary>Starts handing the entries back from the first.</summary>
    public void Rewind() => _next = 0;

    /// <summary>The next entry, which must be a <typeparamref name="T"/> recorded by <paramref name="op"/>.</summary>
    /// <exception cref="InvalidOperationException">The recomputation asks for more entries than the first forward
    /// recorded, or for another kind: the function is not deterministic.</exception>
    public T Next<T>(string op)
        where T : class
    {
        if (_next >= _entries.Count)
        {
            throw new InvalidOperationException(
                $"Checkpoint: the recomputation ran more batch norms ({op} is number {_next + 1}) than the first "
                + $"forward ({_entries.Count}); the function must be deterministic.");
        }
        if (_entries[_next] is not T entry)
        {
            throw new InvalidOperationException(
                $"Checkpoint: batch norm number {_next + 1} of the recomputation is {op}, but the first forward "
                + $"recorded a {_entries[_next].GetType().Name} there; the function must be deterministic.");
        }
        _next++;
        return entry;
    }
}
