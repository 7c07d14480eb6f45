using System.Runtime.InteropServices;
using NasBench.Kernels.Backends.Cuda;

namespace NasBench.Kernels.Cuda;

/// <summary>Latency-table expected cost and population lookup on a CUDA device (<c>LatencyLookup.cu</c>); the GPU twin
/// of the CPU <c>LatencyLookupKernel</c>.</summary>
/// <remarks>
/// <see cref="ExpectedCost"/>: α and L are [edges, ops]; writes p = softmax(α_e) per edge and
/// <c>dC/dα[e,o] = p[e,o]·(L[e,o] − Σ_o' p[e,o']·L[e,o'])</c> (overwritten), returns <c>C = Σ_e Σ_o p[e,o]·L[e,o]</c>.
/// <see cref="BatchLookup"/>: <c>totals[p] = Σ_s entryCost[entryIndex[p·slots + s]]</c>. Both read back a few bytes
/// to report bad input the way the CPU kernel does, so both synchronise.
/// </remarks>
public sealed class CudaLatencyLookupKernel : IDisposable
{
    private const int BlockSize = 256;
    private readonly CudaDevice _device;
    private readonly CudaKernel _expectedCost;
    private readonly CudaKernel _batchLookup;
    private readonly CudaBuffer<CostResult> _costResult;
    private readonly CudaBuffer<int> _badIndex;

    public CudaLatencyLookupKernel(CudaDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        _device = device;
        CudaModule module = device.GetEmbeddedModule("LatencyLookup.cu");
        _expectedCost = module.GetKernel("latency_expected_cost");
        _batchLookup = module.GetKernel("latency_batch_lookup");
        _costResult = device.Allocate<CostResult>(1);
        _badIndex = device.Allocate<int>(1);
    }

    /// <exception cref="ArgumentException">A table entry is +∞, −∞ or NaN (the first such (e, o) is named).</exception>
    public float ExpectedCost(int edges, int ops, CudaBuffer<float> alpha, CudaBuffer<float> table,
        CudaBuffer<float> probabilities, CudaBuffer<float> dAlpha)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(edges);
        ArgumentOutOfRangeException.ThrowIfLessThan(ops, 1);
        long count = (long)edges * ops;
        if (count > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(edges), "edges·ops exceeds int.MaxValue.");
        }
        CudaChecks.Length(alpha, count, nameof(alpha));
        CudaChecks.Length(table, count, nameof(table));
        CudaChecks.Length(probabilities, count, nameof(probabilities));
        CudaChecks.Length(dAlpha, count, nameof(dAlpha));
        if (edges == 0)
        {
            return 0f;
        }
        _expectedCost.Launch(CudaLaunch.Blocks(1, BlockSize), edges, ops, alpha.DevicePointer, table.DevicePointer,
            probabilities.DevicePointer, dAlpha.DevicePointer, _costResult.DevicePointer);
        Span<CostResult> result = stackalloc CostResult[1];
        _costResult.CopyTo(result);
        if (result[0].BadIndex != int.MaxValue)
        {
            int e = result[0].BadIndex / ops, o = result[0].BadIndex % ops;
            throw new ArgumentException($"Latency table entry (e = {e}, o = {o}) is not finite.", nameof(table));
        }
        return result[0].Cost;
    }

    /// <exception cref="ArgumentOutOfRangeException">An index is outside entryCost (the first such (p, s) is named).
    /// </exception>
    public void BatchLookup(int population, int slots, CudaBuffer<int> entryIndex, CudaBuffer<float> entryCost,
        CudaBuffer<float> totals)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(population);
        ArgumentOutOfRangeException.ThrowIfNegative(slots);
        long count = (long)population * slots;
        if (count > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(population), "population·slots exceeds int.MaxValue.");
        }
        CudaChecks.Length(entryIndex, count, nameof(entryIndex));
        ArgumentNullException.ThrowIfNull(entryCost);
        CudaChecks.Length(totals, population, nameof(totals));
        if (population == 0)
        {
            return;
        }
        ReadOnlySpan<int> none = [int.MaxValue];
        _badIndex.CopyFrom(none);
        int maxBlocks = Math.Max(1, _device.MultiprocessorCount * 8);
        _batchLookup.Launch(CudaLaunch.Linear(population, BlockSize, maxBlocks), population, slots,
            entryIndex.DevicePointer, entryCost.DevicePointer, entryCost.Length, totals.DevicePointer,
            _badIndex.DevicePointer);
        Span<int> bad = stackalloc int[1];
        _badIndex.CopyTo(bad);
        if (bad[0] != int.MaxValue)
        {
            int p = bad[0] / Math.Max(slots, 1), s = bad[0] % Math.Max(slots, 1);
            throw new ArgumentOutOfRangeException(nameof(entryIndex),
                $"entryIndex of population member p = {p}, slot s = {s} is outside the {entryCost.Length} entries.");
        }
    }

    public void Dispose()
    {
        _costResult.Dispose();
        _badIndex.Dispose();
    }

    /// <summary>Matches <c>struct LatencyCostResult</c> in LatencyLookup.cu.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct CostResult
    {
        public float Cost;
        public int BadIndex;
    }
}
