using NasBench.Kernels.Cpu;

namespace NasBench.Hardware.Estimation;

/// <summary>Discrete lookup latency for a whole population at once (NSGA-II, random search): each architecture is
/// encoded as <see cref="Slots"/> indices into one flat vector of entry latencies, and the kernel gathers and sums.
/// </summary>
/// <param name="entryMs">Latency of each distinct table entry the encodings point to (ms).</param>
/// <param name="slots">Indices per architecture (every architecture of a space has the same count).</param>
public sealed class PopulationLatency(float[] entryMs, int slots)
{
    private readonly float[] _entryMs = entryMs ?? throw new ArgumentNullException(nameof(entryMs));

    public int Slots { get; } = slots;

    public int Entries => _entryMs.Length;

    /// <summary>totals[p] = Σ_s entryMs[index[p·slots + s]].</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index outside the entries (names the architecture and slot).
    /// </exception>
    public void Evaluate(ReadOnlySpan<int> index, Span<float> totals)
    {
        if (Slots <= 0 || index.Length % Slots != 0)
        {
            throw new ArgumentException(
                $"The index holds {index.Length} values; expected a multiple of the {Slots} slots per architecture.",
                nameof(index));
        }
        int population = index.Length / Slots;
        LatencyLookupKernel.BatchLookup(population, Slots, index, _entryMs, totals[..population]);
    }
}
