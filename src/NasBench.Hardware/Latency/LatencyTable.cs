using NasBench.Hardware.Targets;

namespace NasBench.Hardware.Latency;

/// <summary>Measured latency of every operation configuration a search space uses, on one target.</summary>
/// <remarks>Keys are <see cref="OperationConfig.Key"/>; entries keep their insertion (profiling) order. Stored as JSON
/// (<see cref="LatencyTableJson"/>, with the fingerprint and <see cref="SchemaVersion"/>) or CSV.</remarks>
public sealed class LatencyTable
{
    /// <summary>Version of the JSON layout written by this build; files of another version are refused.</summary>
    public const int SchemaVersion = 1;

    private readonly Dictionary<string, LatencyEntry> _byKey;
    private readonly List<LatencyEntry> _entries;

    /// <exception cref="LatencyTableFormatException">Two entries share a key, or a median is not finite and > 0.
    /// </exception>
    public LatencyTable(TargetFingerprint fingerprint, string space, IEnumerable<LatencyEntry> entries,
        string? source = null)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        ArgumentNullException.ThrowIfNull(entries);
        Fingerprint = fingerprint;
        Space = space ?? "";
        Source = source;
        _entries = [.. entries];
        _byKey = new Dictionary<string, LatencyEntry>(_entries.Count, StringComparer.Ordinal);
        foreach (var entry in _entries)
        {
            if (!double.IsFinite(entry.MedianMs) || entry.MedianMs <= 0)
            {
                throw new LatencyTableFormatException(
                    $"{SourceName}: entry '{entry.Key}' has median {entry.MedianMs} ms; expected a finite value > 0.");
            }
            if (!_byKey.TryAdd(entry.Key, entry))
            {
                throw new LatencyTableFormatException($"{SourceName}: entry '{entry.Key}' appears twice.");
            }
        }
    }

    public TargetFingerprint Fingerprint { get; }

    /// <summary>The search space the table was profiled for (<c>darts</c>), informational.</summary>
    public string Space { get; }

    /// <summary>The file the table was read from, or null.</summary>
    public string? Source { get; }

    public IReadOnlyList<LatencyEntry> Entries => _entries;

    internal string SourceName => Source ?? $"latency table for '{Fingerprint.Target}'";

    public bool Contains(OperationConfig operation) => _byKey.ContainsKey(operation.Key);

    public bool TryGet(OperationConfig operation, out LatencyEntry entry) =>
        _byKey.TryGetValue(operation.Key, out entry!);

    /// <summary>Median latency (ms) of <paramref name="operation"/>.</summary>
    /// <exception cref="KeyNotFoundException">No entry; the message names the table and the key.</exception>
    public double LatencyMs(OperationConfig operation) => _byKey.TryGetValue(operation.Key, out var entry)
        ? entry.MedianMs
        : throw new KeyNotFoundException(
            $"{SourceName}: no entry '{operation.Key}'. Profile the space again with the same --init-channels, "
            + "--layers, --input and batch.");

    /// <summary>Checks that every configuration has an entry.</summary>
    /// <exception cref="LatencyTableFormatException">The first missing one, with the file and the key.</exception>
    public void EnsureCovers(IEnumerable<OperationConfig> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        foreach (var op in operations)
        {
            if (!_byKey.ContainsKey(op.Key))
            {
                throw new LatencyTableFormatException(
                    $"{SourceName}: missing entry '{op.Key}' ({_entries.Count} entries present); the table was "
                    + "profiled for another network shape or batch.");
            }
        }
    }

    /// <summary>Checks that the table was measured on <paramref name="expected"/>.</summary>
    /// <exception cref="LatencyTableFormatException">Another target; the message lists the fields that differ.
    /// </exception>
    public void EnsureFingerprint(TargetFingerprint expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var differences = new List<string>();
        void Check(string field, object? actual, object? wanted)
        {
            if (!Equals(actual, wanted))
            {
                differences.Add($"{field} '{actual}' (expected '{wanted}')");
            }
        }
        Check("target", Fingerprint.Target, expected.Target);
        Check("device", Fingerprint.Device, expected.Device);
        Check("coresUsed", Fingerprint.CoresUsed, expected.CoresUsed);
        Check("simdWidthBits", Fingerprint.SimdWidthBits, expected.SimdWidthBits);
        Check("runtime", Fingerprint.Runtime, expected.Runtime);
        Check("os", Fingerprint.Os, expected.Os);
        Check("gpu", Fingerprint.Gpu, expected.Gpu);
        Check("gpuDriver", Fingerprint.GpuDriver, expected.GpuDriver);
        Check("clock", Fingerprint.Clock, expected.Clock);
        if (differences.Count > 0)
        {
            throw new LatencyTableFormatException(
                $"{SourceName}: fingerprint of another target: {string.Join("; ", differences)}.");
        }
    }

    /// <summary>This table plus <paramref name="more"/> entries (later ones replace earlier ones with the same key).
    /// </summary>
    public LatencyTable Merge(IEnumerable<LatencyEntry> more)
    {
        var merged = new Dictionary<string, LatencyEntry>(_byKey, StringComparer.Ordinal);
        var order = new List<string>(_entries.Select(e => e.Key));
        foreach (var entry in more)
        {
            if (!merged.ContainsKey(entry.Key))
            {
                order.Add(entry.Key);
            }
            merged[entry.Key] = entry;
        }
        return new LatencyTable(Fingerprint, Space, order.Select(k => merged[k]), Source);
    }
}
