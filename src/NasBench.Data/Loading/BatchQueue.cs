namespace NasBench.Data.Loading;

/// <summary>A small bounded blocking FIFO of batches that can be closed to release waiters.</summary>
/// <remarks>A fixed ring and <see cref="Monitor"/>: no allocation per item, unlike a channel's awaiters.</remarks>
internal sealed class BatchQueue
{
    private readonly Batch?[] _ring;
    private readonly object _gate = new();
    private int _head;
    private int _count;
    private bool _closed;

    public BatchQueue(int capacity) => _ring = new Batch?[capacity];

    /// <summary>Empties the queue and reopens it.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            Array.Clear(_ring);
            _head = 0;
            _count = 0;
            _closed = false;
        }
    }

    /// <summary>Adds a batch, waiting for room; returns false if the queue was closed.</summary>
    public bool Add(Batch batch)
    {
        lock (_gate)
        {
            while (_count == _ring.Length && !_closed)
            {
                Monitor.Wait(_gate);
            }

            if (_closed)
            {
                return false;
            }

            _ring[(_head + _count) % _ring.Length] = batch;
            _count++;
            Monitor.PulseAll(_gate);
            return true;
        }
    }

    /// <summary>Takes the oldest batch, waiting for one; returns false once closed and empty.</summary>
    public bool TryTake(out Batch batch)
    {
        lock (_gate)
        {
            while (_count == 0 && !_closed)
            {
                Monitor.Wait(_gate);
            }

            if (_count == 0)
            {
                batch = null!;
                return false;
            }

            batch = _ring[_head]!;
            _ring[_head] = null;
            _head = (_head + 1) % _ring.Length;
            _count--;
            Monitor.PulseAll(_gate);
            return true;
        }
    }

    /// <summary>Closes the queue: pending and future waits return false once it is empty.</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            Monitor.PulseAll(_gate);
        }
    }
}
