namespace NasBench.Kernels.Reference;

/// <summary>Shape checks shared by the Rayleigh-quotient reference and the fast kernel.</summary>
internal static class RayleighQuotientValidation
{
    public static void Check(int batch, int d, long sLength, int vLength, int lambdaLength, string matrixName)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(d);
        long matrices = (long)batch * d * d;
        if (sLength < matrices)
        {
            throw new ArgumentException(
                $"{matrixName} holds {sLength} floats, fewer than batch·d·d = {matrices} ({batch}×{d}×{d}).",
                matrixName);
        }
        if (vLength < (long)batch * d)
        {
            throw new ArgumentException($"v holds {vLength} floats, fewer than batch·d = {(long)batch * d}.");
        }
        if (lambdaLength < batch)
        {
            throw new ArgumentException($"lambda holds {lambdaLength} floats, fewer than batch = {batch}.");
        }
    }
}
