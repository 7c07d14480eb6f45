namespace NasBench.Kernels.Tests.SearchHotPaths;

/// <summary>Seeded symmetric test matrices, random or with a prescribed spectrum.</summary>
internal static class SymmetricMatrices
{
    /// <summary>A batch of symmetric matrices with entries uniform in [−1, 1].</summary>
    public static float[] Random(Random random, int batch, int d)
    {
        var s = new float[batch * d * d];
        for (int b = 0; b < batch; b++)
        {
            for (int i = 0; i < d; i++)
            {
                for (int j = i; j < d; j++)
                {
                    float x = (2 * random.NextSingle()) - 1;
                    s[(b * d * d) + (i * d) + j] = x;
                    s[(b * d * d) + (j * d) + i] = x;
                }
            }
        }
        return s;
    }

    /// <summary>S = Q·diag(eigenvalues)·Qᵀ with Q a seeded random orthogonal matrix (Gram–Schmidt on Gaussian
    /// columns, in double). Column <c>q[:, m]</c> is the eigenvector of <c>eigenvalues[m]</c>.</summary>
    public static (float[] S, double[,] Q) WithSpectrum(Random random, double[] eigenvalues)
    {
        int d = eigenvalues.Length;
        var q = new double[d, d];
        for (int m = 0; m < d; m++)
        {
            for (int i = 0; i < d; i++)
            {
                // Box–Muller: seeded Gaussian entries.
                double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
                q[i, m] = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            }
            for (int pass = 0; pass < 2; pass++)
            {
                for (int p = 0; p < m; p++)
                {
                    double dot = 0;
                    for (int i = 0; i < d; i++)
                    {
                        dot += q[i, m] * q[i, p];
                    }
                    for (int i = 0; i < d; i++)
                    {
                        q[i, m] -= dot * q[i, p];
                    }
                }
            }
            double norm = 0;
            for (int i = 0; i < d; i++)
            {
                norm += q[i, m] * q[i, m];
            }
            norm = Math.Sqrt(norm);
            for (int i = 0; i < d; i++)
            {
                q[i, m] /= norm;
            }
        }
        var s = new float[d * d];
        for (int i = 0; i < d; i++)
        {
            for (int j = i; j < d; j++)
            {
                double sum = 0;
                for (int m = 0; m < d; m++)
                {
                    sum += q[i, m] * eigenvalues[m] * q[j, m];
                }
                s[(i * d) + j] = (float)sum;
                s[(j * d) + i] = (float)sum;
            }
        }
        return (s, q);
    }
}
