using NasBench.Kernels.Cpu;
using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Hardware.Targets;

/// <summary>This machine's CPU through our kernels, with a fixed thread count: <c>cpu</c> uses every logical core,
/// <c>cpu-1t</c> one thread. Samples time the wall clock, or for one thread optionally the thread's CPU time.</summary>
public sealed class CpuTarget : IInterleavingTarget
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
        // The same set-up as a batch of one: evaluation mode, no tape, a fixed random input, this target's threads.
        using var batch = PrepareInterleaved([(model, inputShape)]);
        var workload = batch.Workloads[0];
        workload.Enter?.Invoke();
        return LatencyMeter.Measure(workload.Call, (protocol ?? MeasurementProtocol.Default) with { Clock = Clock },
            cancellationToken);
    }

    public IReadOnlyList<InterleavedMeasurement> MeasureInterleaved(
        IReadOnlyList<(Module<Tensor, Tensor> Model, IReadOnlyList<int> InputShape)> workloads,
        InterleavedProtocol? protocol = null, Action<int>? onSweep = null,
        CancellationToken cancellationToken = default)
    {
        using var batch = PrepareInterleaved(workloads);
        return InterleavedMeter.Measure(batch.Workloads, protocol, onSweep, cancellationToken);
    }

    public InterleavedBatch PrepareInterleaved(
        IReadOnlyList<(Module<Tensor, Tensor> Model, IReadOnlyList<int> InputShape)> workloads)
    {
        ArgumentNullException.ThrowIfNull(workloads);
        var shapes = workloads.Select(w => CheckedShape(w.InputShape)).ToArray();
        var wasTraining = workloads.Select(w => (w.Model ?? throw new ArgumentException(
            "A workload has no model.", nameof(workloads))).IsTraining).ToArray();
        int previousThreads = CpuParallel.MaxThreads;
        var noGrad = Tensor.NoGrad();
        var inputs = new List<Tensor>(workloads.Count);
        var prepared = new InterleavedWorkload[workloads.Count];
        // Every visit sets this target's thread count, so workloads of targets with other counts can share sweeps.
        void Enter() => CpuParallel.MaxThreads = Threads;
        for (int w = 0; w < workloads.Count; w++)
        {
            workloads[w].Model.Eval();
            inputs.Add(Tensor.Rand(new Generator(0x1A7E9C), shapes[w]).DetachFromScope());
            prepared[w] = new InterleavedWorkload(Workload(workloads[w].Model, inputs[w]), Clock, Enter);
        }
        return new InterleavedBatch(prepared, () =>
        {
            foreach (var input in inputs)
            {
                input.Dispose();
            }
            for (int w = 0; w < workloads.Count; w++)
            {
                workloads[w].Model.Train(wasTraining[w]);
            }
            noGrad.Dispose();
            CpuParallel.MaxThreads = previousThreads;
        });
    }

    /// <summary>One inference call; intermediates go back to the pool each call: steady state, as in a serving loop.
    /// </summary>
    private static Action Workload(Module<Tensor, Tensor> model, Tensor input) => () =>
    {
        using var scope = TensorScope.Enter();
        _ = model.Forward(input);
    };

    private static int[] CheckedShape(IReadOnlyList<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        int[] shape = [.. inputShape];
        if (shape.Length == 0 || shape.Any(d => d <= 0))
        {
            throw new ArgumentException($"Input shape [{string.Join(", ", shape)}] must have positive dimensions.",
                nameof(inputShape));
        }
        return shape;
    }
}
