using System.Text.Json.Serialization;

namespace NasBench.Benchmarks.Kernels;

/// <summary>Source-generated JSON for <c>cuda-time --json</c>: camelCase names fixed at compile time. A NaN or
/// infinite error (one side NaN) is written as the string "Infinity"/"NaN" rather than failing the whole file.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(CudaTimingReport))]
public sealed partial class CudaTimingJsonContext : JsonSerializerContext;
