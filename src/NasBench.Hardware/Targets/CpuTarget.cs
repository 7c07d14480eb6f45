using NasBench.Kernels.Cpu;
using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Hardware.Targets;

/// <summary>This machine's CPU through our kernels, with a fixed thread count: <c>cpu</c> uses every logical core,
/// <c>cpu-1t</c> one thread. Samples time the wall clock, or for one thread optionally the thread's CPU time.</summary>
public sealed class CpuTarget : ITarget
{
    public const string AllCoresName = "cpu";
    public const string SingleThreadName = "cpu-1t";

    /// <exception cref="ArgumentException">The thread-CPU clock with more than one thread (work on other threads
    /// would not be counted).</exception>
    public CpuTarget(string name, int threads, MeasurementClock clock = MeasurementClock.Wall)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        if (clock == MeasurementClock.ThreadCpu && threads != 1)
        {
            throw new ArgumentException(
                $"Target '{name}': the thread-CPU clock only counts the calling thread; it needs 1 thread, not {threads}.",
                nameof(clock));
        }
        Name = name;
        Threads = threads;
        Clock = clock;
        Fingerprint = TargetFingerprint.ForCpu(name, threads, clock);
    }

    /// <summary>Every logical core of this process.</summary>
    public static CpuTarget AllCores() => new(AllCoresName, Environment.ProcessorCount);

    /// <summary>One thread (kernels run inline on the caller).</summary>
    public static CpuTarget SingleThread(MeasurementClock clock = MeasurementClock.Wall) =>
        new(SingleThreadName, 1, clock);

    public MeasurementClock Clock { get; }

    public string Name { get; }

    public int Threads { get; }

    public string Description => $"CPU, {Threads} thread(s): {Fingerprint.Device}";

    public TargetFingerprint Fingerprint { get; }

    public bool IsAvailable => true;

    public string Availability => "available";

    public LatencyStatistics Measure(Module<Tensor, Tensor> model, IReadOnlyList<int> inputShape,
        MeasurementProtocol? protocol = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputShape);
        int[] shape = [.. inputShape];
        if (shape.Length == 0 || shape.Any(d => d <= 0))
        {
            throw new ArgumentException($"Input shape [{string.Join(", ", shape)}] must have positive dimensions.",
                nameof(inputShape));
        }
        bool wasTraining = model.IsTraining;
        model.Eval();
        using var threads = CpuParallel.Limit(Threads);
        using var noGrad = Tensor.NoGrad();
        using var input = Tensor.Rand(new Generator(0x1A7E9C), shape).DetachFromScope();
        try
        {
            return LatencyMeter.Measure(() =>
            {
                // Intermediates go back to the pool each call: steady state, as in a serving loop.
                using var scope = TensorScope.Enter();
                _ = model.Forward(input);
            }, (protocol ?? MeasurementProtocol.Default) with { Clock = Clock }, cancellationToken);
        }
        finally
        {
            model.Train(wasTraining);
        }
    }
}
