#:project ../src/NasBench.Data/NasBench.Data.csproj

// Side-by-side timings for NasBench.Data (noisy on a shared machine; compare ratios, not absolutes).
// Usage, from the repository root:  dotnet run -c Release tools/data-throughput.cs [epochs]
// 1. reading the dataset (full set if installed, else the sample);
// 2. one epoch of batches (size 64, crop+flip+cutout) with nothing consuming them, prefetch 0;
// 3. the same with a consumer that spins for as long as a batch takes to prepare, prefetch 0 vs 1:
//    without prefetch the two costs add up, with it they overlap on the second core.
using System.Diagnostics;
using NasBench.Data;
using NasBench.Data.Augmentation;
using NasBench.Data.Loading;

int epochs = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 3;

var sw = Stopwatch.StartNew();
DatasetPair sample = EmbeddedSample.Load();
Console.WriteLine($"load embedded sample: {sw.Elapsed.TotalMilliseconds:F0} ms ({sample.Describe()})");
sw.Restart();
DatasetPair data = DatasetLoader.Load("fashion-mnist");
Console.WriteLine($"load default source: {sw.Elapsed.TotalMilliseconds:F0} ms ({data.Describe()})");

IAugmentation[] augment = [new RandomCrop(2), new HorizontalFlip(), new Cutout(8)];
double produce = Best(0, TimeSpan.Zero);
double perBatch = produce / Batches();
Console.WriteLine(
    $"epoch, no consumer, prefetch 0: {produce:F0} ms = {data.Train.Count / produce * 1000:N0} images/s " +
    $"({perBatch * 1000:F0} us per batch of 64)");
var work = TimeSpan.FromMilliseconds(perBatch);
double serial = Best(0, work);
double overlapped = Best(1, work);
Console.WriteLine($"epoch, consumer spins {work.TotalMilliseconds * 1000:F0} us/batch: prefetch 0 {serial:F0} ms, " +
    $"prefetch 1 {overlapped:F0} ms, ratio {serial / overlapped:F2}x");
return 0;

int Batches() => (data.Train.Count + 63) / 64;

double Best(int prefetch, TimeSpan consume)
{
    using var loader = new BatchLoader(data.Train, new BatchLoaderOptions
    {
        BatchSize = 64, Seed = 1, Prefetch = prefetch, Augmentations = augment,
    });
    double best = double.MaxValue;
    for (int e = 0; e <= epochs; e++)
    {
        var timer = Stopwatch.StartNew();
        foreach (Batch batch in loader.Epoch(e))
        {
            var spin = Stopwatch.StartNew();
            while (spin.Elapsed < consume)
            {
                Thread.SpinWait(20);
            }
        }

        // Epoch 0 warms up the JIT and the pools.
        if (e > 0)
        {
            best = Math.Min(best, timer.Elapsed.TotalMilliseconds);
        }
    }

    return best;
}
