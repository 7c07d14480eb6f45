namespace NasBench.Benchmarks.Kernels;

/// <summary>The shapes <c>cuda-time</c> runs for each kernel name of <see cref="CudaTimingArguments.KernelNames"/>.
/// </summary>
/// <remarks>Chosen to be the shapes the CPU side is tuned and benchmarked at, so the CPU column is the real CPU
/// number: the supernet's first mixed edge (N 64, C 16, 28×28, seven candidates) and a larger batch; the depthwise
/// heads of a 28×28 cell; <see cref="RayleighQuotientBenchmarks"/>' d; <see cref="LatencyLookupBenchmarks"/>' tables
/// plus a population 100× larger, where a GPU could start to pay.</remarks>
internal static class CudaTimingCases
{
    /// <summary>DARTS's candidate ops on a mixed edge, none (the zero op) excluded.</summary>
    private const int Candidates = 7;

    public static IEnumerable<CudaTimingEntry> For(IEnumerable<string> kernels)
    {
        foreach (string kernel in kernels)
        {
            foreach (CudaTimingEntry entry in Entries(kernel))
            {
                yield return entry;
            }
        }
    }

    private static IEnumerable<CudaTimingEntry> Entries(string kernel)
    {
        switch (kernel)
        {
            case "sgemm":
                foreach (int n in new[] { 1024, 2048, 4096 })
                {
                    yield return new("sgemm NN", $"{n}x{n}x{n}", () => new CudaSgemmCase(n, n, n));
                }
                break;
            case "mixedop":
                foreach (var (n, c, side) in EdgeShapes())
                {
                    yield return new("mixedop fwd", Edge(n, c, side),
                        () => new CudaMixedOpCase(n, c, side, side, Candidates));
                }
                break;
            case "nmo":
                foreach (var (n, c, side) in EdgeShapes())
                {
                    yield return new("nmo fwd", Edge(n, c, side),
                        () => new CudaNormalizedMixedOpCase(n, c, side, side, Candidates));
                }
                break;
            case "dw":
                foreach (int k in new[] { 3, 5 })
                {
                    yield return new($"dw{k}x{k} fwd", "N64 C32 28x28", () => new CudaDepthwiseCase(64, 32, 28, k));
                }
                break;
            case "rq":
                foreach (int d in new[] { 144, 576, 1152 })
                {
                    yield return new("rq iterate x10", $"B64 d{d}", () => new CudaRayleighCase(64, d, 10));
                }
                break;
            case "lookup":
                yield return new("lookup cost", "28 edges x 8 ops", () => new CudaExpectedCostCase(28, 8));
                foreach (int population in new[] { 10_000, 1_000_000 })
                {
                    yield return new("lookup batch", $"P{population} x 22 slots",
                        () => new CudaBatchLookupCase(population, 22, 9));
                }
                break;
            case "relu":
                yield return new("relu fwd", "16M floats", () => new CudaReluCase(16 << 20));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kernel), kernel, "Not one of the cuda-time kernels.");
        }
    }

    private static (int N, int C, int Side)[] EdgeShapes() => [(64, 16, 28), (256, 16, 32)];

    private static string Edge(int n, int c, int side) => $"N{n} C{c} {side}x{side} K{Candidates}";
}
