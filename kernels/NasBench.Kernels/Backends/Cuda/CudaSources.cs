using System.Reflection;

namespace NasBench.Kernels.Backends.Cuda;

/// <summary>The CUDA C kernels embedded in this assembly from <c>kernels/NasBench.Kernels/Cuda/*.cu</c>.</summary>
/// <remarks>Resources are named <c>NasBench.Kernels.Cuda.&lt;file&gt;.cu</c> by the project file.</remarks>
public static class CudaSources
{
    private const string Prefix = "NasBench.Kernels.Cuda.";

    /// <summary>File names (e.g. <c>MixedOp.cu</c>) of every embedded kernel source, sorted.</summary>
    public static IReadOnlyList<string> FileNames { get; } = Assembly.GetExecutingAssembly()
        .GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".cu", StringComparison.Ordinal))
        .Select(n => n[Prefix.Length..])
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>The source text of one embedded file.</summary>
    public static string Read(string fileName)
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(Prefix + fileName)
            ?? throw new ArgumentException(
                $"No embedded CUDA source '{fileName}'. Embedded: {string.Join(", ", FileNames)}.", nameof(fileName));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
