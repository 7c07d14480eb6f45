using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace NasBench.Search.Splitting;

/// <summary>The extreme eigenpairs of a symmetric splitting matrix by full eigen-decomposition in double precision —
/// the exact S2D path (splitting.md §2.4) and the reference the fast Rayleigh-quotient estimate is checked against.</summary>
public static class ExactEigen
{
    /// <summary>λ_min, λ_max and unit eigenvectors of the symmetrised d×d matrix <c>(S + Sᵀ)/2</c>.</summary>
    /// <param name="matrix">Row-major d×d values.</param>
    /// <remarks>Symmetrising first matters: S accumulated in float over many batches is symmetric only to rounding,
    /// and a non-symmetric input would send MathNet down the general (complex) eigen path.</remarks>
    public static ExtremeEigenpairs Compute(ReadOnlySpan<float> matrix, int d)
    {
        if (d <= 0 || matrix.Length < d * d)
        {
            throw new ArgumentException($"Expected a {d}×{d} matrix ({d * d} values), got {matrix.Length} values.");
        }
        var m = Matrix<double>.Build.Dense(d, d);
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                m[i, j] = 0.5 * (matrix[(i * d) + j] + matrix[(j * d) + i]);
            }
        }
        var evd = m.Evd(Symmetricity.Symmetric);
        // Symmetric EVD returns eigenvalues in ascending order.
        var values = evd.EigenValues;
        var vectors = evd.EigenVectors;
        return new ExtremeEigenpairs(
            values[0].Real, ToUnit(vectors.Column(0)),
            values[d - 1].Real, ToUnit(vectors.Column(d - 1)));
    }

    private static float[] ToUnit(Vector<double> v)
    {
        double norm = v.L2Norm();
        return [.. v.Select(x => (float)(x / norm))];
    }
}
