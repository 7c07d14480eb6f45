using System.Text.Json.Serialization;

namespace NasBench.Cli.Info;

/// <summary>Source-generated JSON for <see cref="InfoReport"/>: camelCase names fixed at compile time, so scripts
/// that read <c>nasbench info --json</c> keep working.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(InfoReport))]
internal sealed partial class InfoJsonContext : JsonSerializerContext;
