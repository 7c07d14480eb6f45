using NasBench.Kernels.Cpu;

namespace NasBench.Kernels.Tests.Elementwise;

public class LossKernelTests
{
    /// <summary>rows × cols, including single rows and columns and columns longer than any vector.</summary>
    public static TheoryData<int, int> Shapes() => new()
    {
        { 1, 1 }, { 3, 1 }, { 1, 2 }, { 2, 3 }, { 4, 10 }, { 3, 17 }, { 2, 256 }, { 1, 1025 }, { 2, 8197 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Softmax_and_log_softmax_match_scalar_double_loops(int rows, int cols)
    {
        // Logits up to ±60 around an offset of 500: exp overflows float without the max shift.
        var x = Random(rows * cols, rows + (31 * cols), 500f, 60f);
        var (p, logp) = (new float[x.Length], new float[x.Length]);
        LossKernel.SoftmaxRows(rows, cols, x, p);
        LossKernel.LogSoftmaxRows(rows, cols, x, logp);
        for (int r = 0; r < rows; r++)
        {
            var row = x.AsSpan(r * cols, cols).ToArray();
            double max = row.Max();
            double logSum = Math.Log(row.Sum(v => Math.Exp(v - max)));
            for (int j = 0; j < cols; j++)
            {
                int i = (r * cols) + j;
                double expectedLog = row[j] - max - logSum;
                Assert.True(Math.Abs(p[i] - Math.Exp(expectedLog)) <= 1e-6 + (1e-5 * Math.Exp(expectedLog)),
                    $"softmax[{r},{j}]: expected {Math.Exp(expectedLog)}, got {p[i]}.");
                Assert.True(Math.Abs(logp[i] - expectedLog) <= 1e-5 * Math.Max(1, Math.Abs(expectedLog)),
                    $"logSoftmax[{r},{j}]: expected {expectedLog}, got {logp[i]}.");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void CrossEntropyForward_matches_scalar_double_loop(int rows, int cols)
    {
        var x = Random(rows * cols, 7 * cols, 0f, 8f);
        var labels = Labels(rows, cols, cols);
        var probabilities = new float[x.Length];
        double loss = LossKernel.CrossEntropyForward(rows, cols, x, labels, probabilities);
        double expected = 0;
        for (int r = 0; r < rows; r++)
        {
            var row = x.AsSpan(r * cols, cols).ToArray();
            double max = row.Max();
            expected += max + Math.Log(row.Sum(v => Math.Exp(v - max))) - row[labels[r]];
        }
        expected /= rows;
        Assert.True(Math.Abs(loss - expected) <= 1e-9 * Math.Max(1, Math.Abs(expected)),
            $"loss: expected {expected}, got {loss}.");
        var softmax = new float[x.Length];
        LossKernel.SoftmaxRows(rows, cols, x, softmax);
        Assert.Equal(softmax, probabilities);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void CrossEntropyBackward_matches_central_differences_of_forward(int rows, int cols)
    {
        var x = Random(rows * cols, 11 * cols, 0f, 3f);
        var labels = Labels(rows, cols, cols + 1);
        var probabilities = new float[x.Length];
        LossKernel.CrossEntropyForward(rows, cols, x, labels, probabilities);
        const float scale = 0.75f;
        var grad = new float[x.Length];
        LossKernel.CrossEntropyBackward(rows, cols, probabilities, labels, scale, grad, accumulate: false);
        var scratch = new float[x.Length];
        // Probe up to ~40 entries per case, always including each row's label and its neighbour.
        var probes = Enumerable.Range(0, x.Length).Where(i => i % Math.Max(1, x.Length / 40) == 0)
            .Concat(Enumerable.Range(0, rows).Select(r => (r * cols) + labels[r])).Distinct();
        foreach (int i in probes)
        {
            float original = x[i];
            x[i] = original + 1e-2f;
            float up = x[i];
            double lossUp = LossKernel.CrossEntropyForward(rows, cols, x, labels, scratch);
            x[i] = original - 1e-2f;
            float down = x[i];
            double lossDown = LossKernel.CrossEntropyForward(rows, cols, x, labels, scratch);
            x[i] = original;
            double numeric = scale * (lossUp - lossDown) / (up - down);
            // Central differences err by O(h²)·|f'''| ≈ 1e-4·(1/rows); float probabilities add ~1e-7.
            Assert.True(Math.Abs(grad[i] - numeric) <= 2e-5 + (1e-4 / rows),
                $"dlogits[{i}]: finite difference {numeric}, backward {grad[i]}.");
        }

        // accumulate adds the same gradient on top of what is there.
        var accumulated = Random(x.Length, 99, 0f, 1f);
        var before = (float[])accumulated.Clone();
        LossKernel.CrossEntropyBackward(rows, cols, probabilities, labels, scale, accumulated, accumulate: true);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.True(Math.Abs(accumulated[i] - (before[i] + grad[i])) <= 1e-6f,
                $"accumulated[{i}]: expected {before[i] + grad[i]}, got {accumulated[i]}.");
        }
    }

    [Fact]
    public void CrossEntropyForward_rejects_labels_outside_the_columns()
    {
        var x = new float[6];
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            LossKernel.CrossEntropyForward(2, 3, x, [0, 3], new float[6]));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            LossKernel.CrossEntropyForward(2, 3, x, [-1, 0], new float[6]));
    }

    private static int[] Labels(int rows, int cols, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, rows).Select(_ => rng.Next(cols)).ToArray();
    }

    private static float[] Random(int length, int seed, float center, float spread)
    {
        var rng = new Random(seed);
        var a = new float[length];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = center + (float)(((rng.NextDouble() * 2) - 1) * spread);
        }
        return a;
    }
}
