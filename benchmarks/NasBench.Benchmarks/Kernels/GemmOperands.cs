namespace NasBench.Benchmarks.Kernels;

/// <summary>Seeded operands for one <see cref="GemmShape"/>, allocated and touched once in GlobalSetup.</summary>
public sealed class GemmOperands
{
    public GemmOperands(GemmShape shape, int seed = 42)
    {
        Shape = shape;
        var random = new Random(seed);
        A = Fill(random, shape.M * shape.K);
        B = Fill(random, shape.K * shape.N);
        C = new float[shape.M * shape.N];
    }

    public GemmShape Shape { get; }
    public float[] A { get; }
    public float[] B { get; }
    public float[] C { get; }
    public int Lda => Shape.TransA ? Shape.M : Shape.K;
    public int Ldb => Shape.TransB ? Shape.K : Shape.N;

    private static float[] Fill(Random random, int length)
    {
        var data = new float[length];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)((random.NextDouble() * 2) - 1);
        }
        return data;
    }
}
