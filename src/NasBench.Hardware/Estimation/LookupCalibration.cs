namespace NasBench.Hardware.Estimation;

/// <summary>A lookup-table sum corrected by a measured intercept and scale: ŷ = InterceptMs + Scale · lookup, fitted
/// on a few networks measured end to end.</summary>
/// <remarks>
/// What a table of operations profiled alone cannot contain is (a) per-network work outside the listed operations
/// (the forward pass's bookkeeping, tensor creation) and (b) how an operation runs inside a network rather than in a
/// loop of its own (its input and weights no longer hot in L1/L2, instruction cache and branch predictors shared with
/// the other operations). (a) is a constant, (b) scales with the operations' time; the two coefficients are fitted
/// by least squares on relative errors, Σ ((a + k·L_i − y_i) / y_i)², which has a closed form.
/// </remarks>
/// <param name="InterceptMs">a, ms.</param>
/// <param name="Scale">k.</param>
/// <param name="Networks">Networks it was fitted on.</param>
public sealed record LookupCalibration(double InterceptMs, double Scale, int Networks)
{
    /// <summary>The identity (no correction).</summary>
    public static LookupCalibration None { get; } = new(0, 1, 0);

    /// <param name="lookupMs">Lookup sums of the calibration networks (> 0).</param>
    /// <param name="measuredMs">Their measured latencies (> 0).</param>
    /// <exception cref="ArgumentException">Fewer than 2 networks, length mismatch, a value ≤ 0, or lookup sums that
    /// are all equal (no scale can be fitted).</exception>
    public static LookupCalibration Fit(IReadOnlyList<double> lookupMs, IReadOnlyList<double> measuredMs)
    {
        ArgumentNullException.ThrowIfNull(lookupMs);
        ArgumentNullException.ThrowIfNull(measuredMs);
        int n = lookupMs.Count;
        if (n < 2 || measuredMs.Count != n)
        {
            throw new ArgumentException($"Calibration needs at least 2 networks with one lookup sum and one measurement "
                + $"each; got {n} lookup sums and {measuredMs.Count} measurements.");
        }
        // Weighted normal equations with weights 1/y²: rows (1/y, L/y) against target 1.
        double s11 = 0, s12 = 0, s22 = 0, b1 = 0, b2 = 0;
        for (int i = 0; i < n; i++)
        {
            if (!(lookupMs[i] > 0) || !(measuredMs[i] > 0))
            {
                throw new ArgumentException($"Calibration network {i}: lookup {lookupMs[i]} ms and measured "
                    + $"{measuredMs[i]} ms must both be > 0.");
            }
            double u = 1 / measuredMs[i], v = lookupMs[i] / measuredMs[i];
            s11 += u * u;
            s12 += u * v;
            s22 += v * v;
            b1 += u;
            b2 += v;
        }
        double det = (s11 * s22) - (s12 * s12);
        if (Math.Abs(det) <= 1e-12 * s11 * s22)
        {
            throw new ArgumentException($"The {n} calibration networks have (nearly) proportional lookup sums and "
                + "measurements in a way that leaves intercept and scale undetermined; use networks of different sizes.");
        }
        double a = ((b1 * s22) - (b2 * s12)) / det;
        double k = ((s11 * b2) - (s12 * b1)) / det;
        return new LookupCalibration(a, k, n);
    }

    /// <summary>The corrected estimate, ms.</summary>
    public double Apply(double lookupMs) => InterceptMs + (Scale * lookupMs);
}
