using NasBench.Benchmarks.Kernels;
using NasBench.Kernels.Backends.Cuda;

namespace NasBench.Benchmarks.Tests;

/// <summary><c>cuda-time</c>'s measuring protocol on fake cases (no GPU needed): phases in order, batch sizing, a
/// failure confined to its row with its phase named, and the case disposed whatever happens.</summary>
public class CudaCaseTimerTests
{
    private static readonly CudaDevice AnyDevice = CudaDevice.Get(0);

    [Fact]
    public void An_agreeing_case_gives_an_ok_row_with_both_times_and_its_rate()
    {
        var fake = new FakeCase();
        int synchronised = 0;
        CudaTimingRow row = CudaCaseTimer.Measure(AnyDevice, () => synchronised++, Entry(fake), reps: 4);

        Assert.Null(row.Failure);
        Assert.Equal("ok", row.Status);
        Assert.True(row.Passed);
        Assert.Equal(["upload", "prepare", "gpu", "cpu", "check", "dispose"], fake.Phases.Distinct());
        Assert.Equal(4, row.GpuReps);
        Assert.Equal(4, row.CpuReps);
        // Fake calls take microseconds: the batch grows to its cap so the synchronise is amortised.
        Assert.Equal(1000, row.GpuCallsPerBatch);
        // Upload, first call, warm-up, probe, then one per timed batch.
        Assert.Equal(4 + 4, synchronised);
        Assert.True(row.GpuMinMs <= row.GpuMedianMs && row.CpuMinMs <= row.CpuMedianMs);
        Assert.Equal(row.CpuMedianMs / row.GpuMedianMs, row.CpuOverGpu);
        Assert.Equal("GB/s", row.RateUnit);
        Assert.Equal(1.0 / (row.GpuMedianMs!.Value / 1e3), row.GpuRate!.Value, 9);
        Assert.Equal("y", row.ErrorOutput);
        Assert.Equal(0.5, row.MaxError);
    }

    [Fact]
    public void The_worst_output_by_error_over_tolerance_is_reported_and_any_excess_is_a_mismatch()
    {
        var fake = new FakeCase
        {
            Agreements = [new CudaAgreement("small", 1e-3, 1e-1, false), new CudaAgreement("tight", 1e-6, 1e-7, true)],
        };
        CudaTimingRow row = CudaCaseTimer.Measure(AnyDevice, () => { }, Entry(fake), reps: 2);

        Assert.Equal("MISMATCH", row.Status);
        Assert.False(row.Passed);
        Assert.Equal("tight", row.ErrorOutput);
        Assert.Equal(true, row.RelativeError);
        Assert.Equal(1e-7, row.Tolerance);
    }

    [Fact]
    public void A_throwing_kernel_fails_its_row_naming_the_phase_and_is_still_disposed()
    {
        var fake = new FakeCase { ThrowIn = "gpu" };
        CudaTimingRow row = CudaCaseTimer.Measure(AnyDevice, () => { }, Entry(fake), reps: 2);

        Assert.Equal("FAILED", row.Status);
        // The first GPU call is part of the first-call phase.
        Assert.Equal("first call: InvalidOperationException: gpu failed", row.Failure);
        Assert.Null(row.GpuMedianMs);
        Assert.Equal("dispose", fake.Phases[^1]);
    }

    [Fact]
    public void A_failing_check_is_named_as_such()
    {
        var fake = new FakeCase { ThrowIn = "check" };
        CudaTimingRow row = CudaCaseTimer.Measure(AnyDevice, () => { }, Entry(fake), reps: 2);
        Assert.Equal("check: InvalidOperationException: check failed", row.Failure);
        Assert.Equal("dispose", fake.Phases[^1]);
    }

    [Fact]
    public void A_case_that_cannot_be_built_fails_in_setup()
    {
        var entry = new CudaTimingEntry("fake", "1", () => throw new OutOfRangeForTest());
        CudaTimingRow row = CudaCaseTimer.Measure(AnyDevice, () => { }, entry, reps: 2);
        Assert.StartsWith("setup: OutOfRangeForTest", row.Failure, StringComparison.Ordinal);
    }

    private static CudaTimingEntry Entry(FakeCase fake) => new("fake", "1", () => fake);

    private sealed class OutOfRangeForTest : Exception;

    /// <summary>Records its phases; throws in the one named; reports <see cref="Agreements"/>.</summary>
    private sealed class FakeCase : CudaTimingCase
    {
        private readonly Flag _flag = new();

        public FakeCase() => Own(_flag);

        public List<string> Phases => _flag.Phases;

        public string? ThrowIn { get; init; }

        public IReadOnlyList<CudaAgreement> Agreements { get; init; } = [new("y", 0.5, 1, false)];

        public override CudaWork? Work => new(1, "GB/s");

        public override void Upload(CudaDevice device) => Phase("upload");

        public override void Prepare(CudaDevice device) => Phase("prepare");

        public override void RunGpu() => Phase("gpu");

        public override void RunCpu() => Phase("cpu");

        public override IReadOnlyList<CudaAgreement> Check()
        {
            Phase("check");
            return Agreements;
        }

        private void Phase(string name)
        {
            if (Phases.Count == 0 || Phases[^1] != name)
            {
                Phases.Add(name);
            }
            if (ThrowIn == name)
            {
                throw new InvalidOperationException($"{name} failed");
            }
        }

        private sealed class Flag : IDisposable
        {
            public List<string> Phases { get; } = [];

            public void Dispose() => Phases.Add("dispose");
        }
    }
}
