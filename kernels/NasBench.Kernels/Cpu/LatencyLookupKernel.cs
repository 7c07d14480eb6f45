using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NasBench.Kernels.Cpu.Simd;
using NasBench.Kernels.Reference;

namespace NasBench.Kernels.Cpu;

/// <summary>Latency-table lookups for hardware-aware search (DESIGN.md §2.3, darts.md §3): the differentiable
/// expected cost under per-edge softmax weights, and the discrete gather-and-sum for a population.</summary>
/// <remarks>
/// Contract as <see cref="LatencyLookupReference"/>: <c>alpha</c>, <c>table</c>, <c>probabilities</c>,
/// <c>dAlpha</c> are [edges, ops] row-major; <c>entryIndex</c> is [population, slots]; <c>totals</c> is
/// [population].
/// <para><see cref="ExpectedCost"/> works on a few hundred entries (14 edges × 8 ops for a DARTS cell), so it runs on
/// the calling thread with <see cref="TensorPrimitives"/> (which picks Vector512/256/128 itself): a parallel
/// dispatch would cost more than the work.</para>
/// <para><c>BatchLookup</c> gathers 8 architectures at a time with AVX2 gathers (.NET exposes no 512-bit
/// gather), each lane summing its slots in slot order, so every total is bit-identical to the scalar float sum of
/// the reference at any width and thread count.</para>
/// </remarks>
public static class LatencyLookupKernel
{
    /// <summary>Architectures per parallel chunk.</summary>
    private const int RowsPerChunk = 1024;

    [ThreadStatic]
    private static LookupJob? t_job;

    /// <summary>C = Σ_e Σ_o softmax(α_e)_o·L[e,o]; writes p and dC/dα[e,o] = p[e,o]·(L[e,o] − Σ_o' p[e,o']·L[e,o'])
    /// (overwritten). Returns C.</summary>
    /// <exception cref="ArgumentException">A table entry is NaN or infinite (the message names e and o), or a span is
    /// shorter than edges·ops.</exception>
    public static float ExpectedCost(int edges, int ops, ReadOnlySpan<float> alpha, ReadOnlySpan<float> table,
        Span<float> probabilities, Span<float> dAlpha)
    {
        LatencyLookupValidation.ExpectedCost(edges, ops, alpha.Length, table, probabilities.Length, dAlpha.Length);
        double total = 0;
        for (int e = 0; e < edges; e++)
        {
            var a = alpha.Slice(e * ops, ops);
            var l = table.Slice(e * ops, ops);
            var p = probabilities.Slice(e * ops, ops);
            var g = dAlpha.Slice(e * ops, ops);
            if (ops == 0)
            {
                continue;
            }
            // SoftMax in TensorPrimitives does not subtract the max; do it so large logits cannot overflow.
            TensorPrimitives.Subtract(a, TensorPrimitives.Max(a), p);
            TensorPrimitives.SoftMax(p, p);
            float edgeCost = TensorPrimitives.Dot(p, l);
            TensorPrimitives.Subtract(l, edgeCost, g);
            TensorPrimitives.Multiply(g, p, g);
            total += edgeCost;
        }
        return (float)total;
    }

    /// <summary>totals[p] = Σ_s entryCost[entryIndex[p·slots + s]] for a whole population of encoded architectures,
    /// summed in slot order in float.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index lies outside entryCost (the message names the first
    /// offending p and s).</exception>
    public static void BatchLookup(int population, int slots, ReadOnlySpan<int> entryIndex,
        ReadOnlySpan<float> entryCost, Span<float> totals)
        => BatchLookup(population, slots, entryIndex, entryCost, totals, SimdWidth.Best);

    internal static unsafe void BatchLookup(int population, int slots, ReadOnlySpan<int> entryIndex,
        ReadOnlySpan<float> entryCost, Span<float> totals, SimdWidth width)
    {
        LatencyLookupValidation.BatchLookup(population, slots, entryIndex.Length, totals.Length);
        if (population == 0)
        {
            return;
        }
        fixed (int* index = entryIndex)
        fixed (float* cost = entryCost)
        fixed (float* sums = totals)
        {
            var job = t_job ??= new LookupJob();
            job.Index = index;
            job.Cost = cost;
            job.CostCount = entryCost.Length;
            job.Totals = sums;
            job.Population = population;
            job.Slots = slots;
            job.UseGather = Avx2.IsSupported && SimdWidthResolver.Resolve(width) >= SimdWidth.V256;
            job.FirstBad = long.MaxValue;
            CpuParallel.For((population + RowsPerChunk - 1) / RowsPerChunk, job.Body);
            if (job.FirstBad != long.MaxValue)
            {
                int p = (int)(job.FirstBad / Math.Max(slots, 1));
                int s = (int)(job.FirstBad % Math.Max(slots, 1));
                throw LatencyLookupValidation.IndexOutOfRange(p, s, entryIndex[(p * slots) + s], entryCost.Length,
                    nameof(entryIndex));
            }
        }
    }

    /// <summary>Rows [first, last) one at a time; returns the flat position of the first bad index or −1.</summary>
    private static unsafe long ScalarRows(int* index, float* cost, int count, float* totals, int slots, int first,
        int last)
    {
        for (int p = first; p < last; p++)
        {
            int* row = index + ((long)p * slots);
            float sum = 0;
            for (int s = 0; s < slots; s++)
            {
                int i = row[s];
                if ((uint)i >= (uint)count)
                {
                    return ((long)p * slots) + s;
                }
                sum += cost[i];
            }
            totals[p] = sum;
        }
        return -1;
    }

    /// <summary>Eight rows per step: gather their slot-s indices (stride = slots), range-check, gather the costs, add.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe long GatherRows(int* index, float* cost, int count, float* totals, int slots, int first,
        int last)
    {
        int p = first;
        // Row offsets of 8 consecutive architectures; the flat index must fit in int for the gather.
        if ((long)last * slots < int.MaxValue - 8)
        {
            var rowOffsets = Vector256<int>.Indices * slots;
            var limit = Vector256.Create((uint)count);
            for (; p <= last - 8; p += 8)
            {
                int* block = index + ((long)p * slots);
                var sum = Vector256<float>.Zero;
                for (int s = 0; s < slots; s++)
                {
                    var ids = Avx2.GatherVector256(block + s, rowOffsets, 4);
                    if (!Vector256.LessThanAll(ids.AsUInt32(), limit))
                    {
                        return ScalarRows(index, cost, count, totals, slots, p, p + 8);
                    }
                    sum += Avx2.GatherVector256(cost, ids, 4);
                }
                sum.Store(totals + p);
            }
        }
        return ScalarRows(index, cost, count, totals, slots, p, last);
    }

    /// <summary>Per-calling-thread state with a cached body delegate, so a call allocates nothing.</summary>
    private sealed unsafe class LookupJob
    {
        public int* Index;
        public float* Cost;
        public int CostCount;
        public float* Totals;
        public int Population;
        public int Slots;
        public bool UseGather;
        public long FirstBad;

        public LookupJob() => Body = Run;

        public Action<int> Body { get; }

        private void Run(int chunk)
        {
            int first = chunk * RowsPerChunk;
            int last = Math.Min(first + RowsPerChunk, Population);
            long bad = UseGather
                ? GatherRows(Index, Cost, CostCount, Totals, Slots, first, last)
                : ScalarRows(Index, Cost, CostCount, Totals, Slots, first, last);
            if (bad < 0)
            {
                return;
            }
            // Keep the smallest offending position over all chunks, so the error does not depend on thread timing.
            long seen = Volatile.Read(ref FirstBad);
            while (bad < seen)
            {
                long previous = Interlocked.CompareExchange(ref FirstBad, bad, seen);
                if (previous == seen)
                {
                    break;
                }
                seen = previous;
            }
        }
    }
}
