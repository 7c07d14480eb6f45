namespace NasBench.Benchmarks.Kernels;

/// <summary>How far one GPU output is from the CPU twin's, against the tolerance it is allowed.</summary>
/// <param name="Output">Which output (y, C, λ, ...).</param>
/// <param name="MaxError">Largest |GPU − CPU| (absolute), or |GPU − CPU| / max(1, |CPU|) (relative: relative where
/// values exceed 1, absolute below, as the CUDA normalized-mixed-op tests measure); +∞ when exactly one side is NaN
/// or the two differ by an infinity.</param>
/// <param name="Tolerance">The bound <paramref name="MaxError"/> must not exceed.</param>
/// <param name="Relative">Which of the two measures <paramref name="MaxError"/> is.</param>
public sealed record CudaAgreement(string Output, double MaxError, double Tolerance, bool Relative)
{
    public bool Agrees => MaxError <= Tolerance;

    /// <summary>Error over tolerance: the output with the largest is the one a row reports.</summary>
    public double Severity => Tolerance > 0 ? MaxError / Tolerance : MaxError > 0 ? double.PositiveInfinity : 0;

    public static CudaAgreement Absolute(string output, ReadOnlySpan<float> cpu, ReadOnlySpan<float> gpu,
        double tolerance) => new(output, MaxDifference(output, cpu, gpu, relative: false), tolerance, false);

    public static CudaAgreement RelativeAboveOne(string output, ReadOnlySpan<float> cpu, ReadOnlySpan<float> gpu,
        double tolerance) => new(output, MaxDifference(output, cpu, gpu, relative: true), tolerance, true);

    private static double MaxDifference(string output, ReadOnlySpan<float> cpu, ReadOnlySpan<float> gpu,
        bool relative)
    {
        if (cpu.Length != gpu.Length)
        {
            throw new ArgumentException($"{output}: {cpu.Length} CPU values against {gpu.Length} GPU values.",
                nameof(gpu));
        }
        double worst = 0;
        for (int i = 0; i < cpu.Length; i++)
        {
            double c = cpu[i], g = gpu[i], error;
            if (double.IsNaN(c) || double.IsNaN(g))
            {
                // NaN on one side only is a wrong answer, whatever the tolerance; NaN on both is agreement.
                error = double.IsNaN(c) && double.IsNaN(g) ? 0 : double.PositiveInfinity;
            }
            else
            {
                // Equal infinities agree; any other pair involving an infinity differs by +∞.
                error = c == g ? 0 : Math.Abs(g - c) / (relative ? Math.Max(1, Math.Abs(c)) : 1);
            }
            worst = Math.Max(worst, error);
        }
        return worst;
    }
}
