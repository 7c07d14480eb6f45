using System.Text.Json.Serialization;

namespace NasBench.Benchmarks.Comparison;

/// <summary>Source-generated JSON for <c>comparison.json</c>: camelCase names fixed at compile time, verdicts as
/// strings.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(ComparisonResult))]
public sealed partial class ComparisonJsonContext : JsonSerializerContext;
