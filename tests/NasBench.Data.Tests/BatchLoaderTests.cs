using NasBench.Data.Augmentation;
using NasBench.Data.Loading;

namespace NasBench.Data.Tests;

public sealed class BatchLoaderTests
{
    private static readonly ImageDataset Data = TestImages.Random(203, new ImageShape(2, 5, 4), 7, seed: 11);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Every_index_is_visited_once_per_epoch(int prefetch)
    {
        int[] subset = Enumerable.Range(0, Data.Count).Where(i => i % 3 != 0).ToArray();
        var options = new BatchLoaderOptions { BatchSize = 16, Seed = 1, Prefetch = prefetch };
        using var loader = new BatchLoader(Data, subset, options);

        for (int epoch = 0; epoch < 3; epoch++)
        {
            var seen = new List<int>();
            int number = 0;
            foreach (Batch batch in loader.Epoch(epoch))
            {
                Assert.Equal(epoch, batch.Epoch);
                Assert.Equal(number++, batch.Number);
                seen.AddRange(batch.IndexSpan.ToArray());
            }

            Assert.Equal(loader.BatchesPerEpoch, number);
            Assert.Equal(subset, seen.Order());
        }
    }

    [Fact]
    public void Batch_sizes_and_drop_last()
    {
        using var keep = new BatchLoader(Data, new BatchLoaderOptions { BatchSize = 50, Prefetch = 1 });
        using var drop = new BatchLoader(Data,
            new BatchLoaderOptions { BatchSize = 50, Prefetch = 1, DropLast = true });

        Assert.Equal([50, 50, 50, 50, 3], keep.Epoch(0).Select(b => b.Count).ToArray());
        Assert.Equal([50, 50, 50, 50], drop.Epoch(0).Select(b => b.Count).ToArray());
    }

    [Fact]
    public void Batches_hold_normalised_images_and_their_labels()
    {
        using var loader = new BatchLoader(Data, new BatchLoaderOptions { BatchSize = 32, Seed = 4 });
        var expected = new float[Data.Shape.Size];
        foreach (Batch batch in loader.Epoch(0))
        {
            Assert.Equal((batch.Count, 2, 5, 4), batch.Dimensions);
            for (int i = 0; i < batch.Count; i++)
            {
                int index = batch.Indices[i];
                Data.CopyImageTo(index, expected);
                Assert.Equal(expected, batch.ImageSpan.Slice(i * expected.Length, expected.Length).ToArray());
                Assert.Equal(Data.GetLabel(index), batch.Labels[i]);
            }
        }
    }

    [Fact]
    public void Normalisation_maps_bytes_with_mean_and_std()
    {
        var norm = new ChannelNormalization([0.5f, 0.25f], [0.5f, 0.125f]);
        byte[] pixels = [0, 255, 51, 102];
        var output = new float[4];
        norm.Apply(pixels, output, planeSize: 2);
        Assert.Equal(-1f, output[0], 1e-6f);
        Assert.Equal(1f, output[1], 1e-6f);
        Assert.Equal((0.2f - 0.25f) / 0.125f, output[2], 1e-5f);
        Assert.Equal((0.4f - 0.25f) / 0.125f, output[3], 1e-5f);
    }

    [Fact]
    public void Order_depends_on_seed_and_epoch_only()
    {
        int[] a0 = Order(seed: 1, epoch: 0);
        Assert.Equal(a0, Order(seed: 1, epoch: 0));
        Assert.NotEqual(a0, Order(seed: 1, epoch: 1));
        Assert.NotEqual(a0, Order(seed: 2, epoch: 0));
        Assert.NotEqual(Enumerable.Range(0, Data.Count), a0);

        using var ordered = new BatchLoader(Data, new BatchLoaderOptions { BatchSize = 64, Shuffle = false });
        Assert.Equal(Enumerable.Range(0, Data.Count), ordered.Epoch(0).SelectMany(b => b.IndexSpan.ToArray()));
    }

    [Fact]
    public void Prefetch_gives_the_same_batches_as_no_prefetch()
    {
        IAugmentation[] augment = [new RandomCrop(1), new HorizontalFlip(), new Cutout(2)];
        float[][] reference = Snapshot(prefetch: 0, augment);
        Assert.Equal(reference, Snapshot(prefetch: 1, augment));
        Assert.Equal(reference, Snapshot(prefetch: 2, augment));
        // Augmentation really happened: the same loader without it yields other images.
        Assert.NotEqual(reference, Snapshot(prefetch: 0, []));
    }

    [Fact]
    public void Abandoned_epoch_leaves_the_loader_ready_for_the_next()
    {
        var options = new BatchLoaderOptions { BatchSize = 8, Seed = 3, Prefetch = 2 };
        using var loader = new BatchLoader(Data, options);
        using var fresh = new BatchLoader(Data, options);

        foreach (Batch batch in loader.Epoch(0))
        {
            if (batch.Number == 2)
            {
                break;
            }
        }

        Assert.Equal(
            fresh.Epoch(1).SelectMany(b => b.IndexSpan.ToArray()).ToArray(),
            loader.Epoch(1).SelectMany(b => b.IndexSpan.ToArray()).ToArray());
    }

    [Fact]
    public void Two_epochs_at_once_are_refused()
    {
        using var loader = new BatchLoader(Data, new BatchLoaderOptions { BatchSize = 8 });
        using IEnumerator<Batch> first = loader.Epoch(0).GetEnumerator();
        Assert.True(first.MoveNext());
        using IEnumerator<Batch> second = loader.Epoch(1).GetEnumerator();
        Assert.Throws<InvalidOperationException>(() => second.MoveNext());
    }

    [Fact]
    public void Producer_failure_surfaces_to_the_consumer()
    {
        var options = new BatchLoaderOptions { BatchSize = 8, Prefetch = 2, Augmentations = [new FailAfter(30)] };
        using var loader = new BatchLoader(Data, options);
        var ex = Assert.Throws<InvalidOperationException>(() => loader.Epoch(0).Count());
        Assert.Equal("augmentation failed", ex.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Steady_state_allocates_nothing_per_batch(int prefetch)
    {
        ImageDataset large = TestImages.Random(4000, new ImageShape(1, 8, 8), 10, seed: 2);
        var options = new BatchLoaderOptions
        {
            BatchSize = 16, Seed = 1, Prefetch = prefetch,
            Augmentations = [new RandomCrop(2), new HorizontalFlip(), new Cutout(3)],
        };
        using var loader = new BatchLoader(large, options);
        Drain(loader, 0); // warm-up: JIT, pools

        long before = GC.GetAllocatedBytesForCurrentThread();
        Drain(loader, 1); // 250 batches
        long consumer = GC.GetAllocatedBytesForCurrentThread() - before;

        // Per epoch: enumerator, two generators (~0.3 KB each), a task; one float[16·64] per batch would be 1 MB.
        Assert.InRange(consumer, 0, 4096);
        if (prefetch > 0)
        {
            Assert.InRange(loader.LastProducerAllocatedBytes, 0, 1024);
        }
    }

    private static void Drain(BatchLoader loader, int epoch)
    {
        foreach (Batch batch in loader.Epoch(epoch))
        {
            _ = batch.Count;
        }
    }

    private static int[] Order(int seed, int epoch)
    {
        using var loader = new BatchLoader(Data, new BatchLoaderOptions { BatchSize = 64, Seed = seed });
        return loader.Epoch(epoch).SelectMany(b => b.IndexSpan.ToArray()).ToArray();
    }

    private static float[][] Snapshot(int prefetch, IAugmentation[] augment)
    {
        using var loader = new BatchLoader(Data, new BatchLoaderOptions
        {
            BatchSize = 10, Seed = 9, Prefetch = prefetch, Augmentations = augment,
        });
        var result = new List<float[]>();
        for (int epoch = 0; epoch < 2; epoch++)
        {
            foreach (Batch batch in loader.Epoch(epoch))
            {
                // Copy: batches are recycled once the next is requested.
                result.Add([.. batch.ImageSpan.ToArray(), .. batch.LabelSpan.ToArray().Select(l => (float)l)]);
            }
        }

        return [.. result];
    }

    private sealed class FailAfter(int images) : IAugmentation
    {
        private int _seen;

        public void Apply(Span<float> image, ImageShape shape, Random random)
        {
            if (++_seen > images)
            {
                throw new InvalidOperationException("augmentation failed");
            }
        }
    }
}
