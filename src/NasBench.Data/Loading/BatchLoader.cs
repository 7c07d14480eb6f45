using NasBench.Data.Augmentation;

namespace NasBench.Data.Loading;

/// <summary>Yields the mini-batches of an epoch, preparing the next ones on a background thread.</summary>
/// <remarks>
/// <para>Each epoch visits every index of the subset exactly once (all but a final partial batch when
/// <see cref="BatchLoaderOptions.DropLast"/>). The order is a Fisher–Yates permutation from a generator seeded by
/// <c>(Seed, epoch)</c>, and augmentations draw from a second generator seeded the same way, consumed in batch
/// order by whichever thread prepares the batches. So the content of every batch depends only on the seed and
/// the epoch, never on timing or on <see cref="BatchLoaderOptions.Prefetch"/>.</para>
/// <para>Buffers: <c>Prefetch + 1</c> batches are rented once and recycled; a batch returned by the enumerator is
/// valid until the next <c>MoveNext</c>. Steady state allocates nothing per batch; an epoch allocates its two
/// generators, the enumerator and, with prefetch, one background task.</para>
/// <para>One epoch may be enumerated at a time per loader.</para>
/// </remarks>
public sealed class BatchLoader : IDisposable
{
    private readonly ImageDataset _dataset;
    private readonly int[] _subset;
    private readonly int[] _order;
    private readonly BatchLoaderOptions _options;
    private readonly Batch[] _batches;
    private readonly BatchQueue _free;
    private readonly BatchQueue _ready;
    private int _active;
    private bool _disposed;

    /// <summary>Creates a loader over the whole of <paramref name="dataset"/>.</summary>
    public BatchLoader(ImageDataset dataset, BatchLoaderOptions options)
        : this(dataset, Enumerable.Range(0, dataset?.Count ?? 0).ToArray(), options)
    {
    }

    /// <summary>Creates a loader over the images of <paramref name="dataset"/> at <paramref name="indices"/>.</summary>
    /// <param name="dataset">Source images.</param>
    /// <param name="indices">The subset to iterate (e.g. <see cref="DataSplit.Train"/>); copied.</param>
    /// <param name="options">Batch size, shuffling, seed, augmentations and prefetch depth.</param>
    public BatchLoader(ImageDataset dataset, ReadOnlySpan<int> indices, BatchLoaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1, nameof(options));
        if (options.Prefetch is < 0 or > 2)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Prefetch, "Prefetch must be 0, 1 or 2.");
        }

        foreach (int index in indices)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)dataset.Count, nameof(indices));
        }

        _dataset = dataset;
        _subset = indices.ToArray();
        _order = new int[_subset.Length];
        _options = options;
        _batches = new Batch[options.Prefetch + 1];
        for (int i = 0; i < _batches.Length; i++)
        {
            _batches[i] = new Batch(options.BatchSize, dataset.Shape);
        }

        _free = new BatchQueue(_batches.Length);
        _ready = new BatchQueue(Math.Max(1, options.Prefetch));
    }

    /// <summary>The dataset batches are drawn from.</summary>
    public ImageDataset Dataset => _dataset;

    /// <summary>Number of images iterated per epoch (before <see cref="BatchLoaderOptions.DropLast"/>).</summary>
    public int Count => _subset.Length;

    /// <summary>Batches per epoch.</summary>
    public int BatchesPerEpoch => _options.DropLast
        ? _subset.Length / _options.BatchSize
        : (_subset.Length + _options.BatchSize - 1) / _options.BatchSize;

    /// <summary>Bytes allocated by the background thread during the last prefetching epoch (diagnostics).</summary>
    internal long LastProducerAllocatedBytes { get; private set; }

    /// <summary>The batches of epoch <paramref name="epoch"/>; each is valid until the next is requested.</summary>
    public IEnumerable<Batch> Epoch(int epoch)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return EnumerateEpoch(epoch);
    }

    /// <summary>Derives the seed of one of an epoch's generators (0: order, 1: augmentation).</summary>
    internal static int StreamSeed(int seed, int epoch, int stream)
    {
        // SplitMix64 finaliser: nearby (seed, epoch) pairs give unrelated generator seeds.
        ulong z = ((ulong)(uint)seed << 32 | (uint)epoch) * 3 + (ulong)stream + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & int.MaxValue);
    }

    private IEnumerable<Batch> EnumerateEpoch(int epoch)
    {
        if (Interlocked.Exchange(ref _active, 1) == 1)
        {
            throw new InvalidOperationException("This loader is already enumerating an epoch.");
        }

        Task? producer = null;
        try
        {
            _subset.CopyTo(_order, 0);
            if (_options.Shuffle)
            {
                DataSplit.Shuffle(_order, new Random(StreamSeed(_options.Seed, epoch, 0)));
            }

            var augmentRandom = new Random(StreamSeed(_options.Seed, epoch, 1));
            int batches = BatchesPerEpoch;
            if (_options.Prefetch == 0)
            {
                Batch batch = _batches[0];
                for (int b = 0; b < batches; b++)
                {
                    Fill(batch, epoch, b, augmentRandom);
                    yield return batch;
                }

                yield break;
            }

            _free.Reset();
            _ready.Reset();
            foreach (Batch batch in _batches)
            {
                _free.Add(batch);
            }

            producer = Task.Factory.StartNew(
                () => Produce(epoch, batches, augmentRandom), CancellationToken.None,
                TaskCreationOptions.LongRunning, TaskScheduler.Default);

            Batch? held = null;
            for (int b = 0; b < batches; b++)
            {
                if (held is not null)
                {
                    _free.Add(held);
                    held = null;
                }

                if (!_ready.TryTake(out Batch next))
                {
                    // The producer closed the queue early: it failed; Wait rethrows its exception.
                    producer.GetAwaiter().GetResult();
                    throw new InvalidOperationException("The batch producer stopped early.");
                }

                held = next;
                yield return next;
            }
        }
        finally
        {
            try
            {
                if (producer is not null)
                {
                    _free.Close();
                    _ready.Close();
                    // Wait so the next epoch never races this producer for the buffers.
                    producer.Wait();
                }
            }
            catch (AggregateException)
            {
                // The producer failed. A consumer that needed the batch already got the exception from GetResult
                // above; one that stopped early did not need it. Rethrowing here would mask the first exception.
            }
            finally
            {
                Volatile.Write(ref _active, 0);
            }
        }
    }

    private void Produce(int epoch, int batches, Random augmentRandom)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            for (int b = 0; b < batches; b++)
            {
                if (!_free.TryTake(out Batch batch))
                {
                    return;
                }

                Fill(batch, epoch, b, augmentRandom);
                if (!_ready.Add(batch))
                {
                    return;
                }
            }
        }
        catch
        {
            _ready.Close();
            throw;
        }
        finally
        {
            LastProducerAllocatedBytes = GC.GetAllocatedBytesForCurrentThread() - before;
        }
    }

    private void Fill(Batch batch, int epoch, int number, Random augmentRandom)
    {
        int start = number * _options.BatchSize;
        int count = Math.Min(_options.BatchSize, _order.Length - start);
        ImageShape shape = _dataset.Shape;
        int size = shape.Size;
        IReadOnlyList<IAugmentation> augmentations = _options.Augmentations;
        for (int i = 0; i < count; i++)
        {
            int index = _order[start + i];
            Span<float> image = batch.Images.AsSpan(i * size, size);
            _dataset.CopyImageTo(index, image);
            for (int a = 0; a < augmentations.Count; a++)
            {
                augmentations[a].Apply(image, shape, augmentRandom);
            }

            batch.Labels[i] = _dataset.GetLabel(index);
            batch.Indices[i] = index;
        }

        batch.Count = count;
        batch.Epoch = epoch;
        batch.Number = number;
    }

    /// <summary>Returns the batch buffers to the pools; the loader must not be enumerating.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        if (Volatile.Read(ref _active) == 1)
        {
            throw new InvalidOperationException("Dispose the epoch enumerator before the loader.");
        }

        _disposed = true;
        foreach (Batch batch in _batches)
        {
            batch.Release();
        }
    }
}
