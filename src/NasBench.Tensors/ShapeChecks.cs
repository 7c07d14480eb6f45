using System.Text;

namespace NasBench.Tensors;

/// <summary>Shape arithmetic and the validation messages every op uses: they name the op, the argument, the expected
/// and the actual shape.</summary>
internal static class ShapeChecks
{
    public static int NumelOf(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"Tensor dimensions must be non-negative, got {Format(shape)}.");
            }
            n *= d;
            if (n > Array.MaxLength)
            {
                throw new ArgumentException($"Tensor of shape {Format(shape)} exceeds the maximum array length.");
            }
        }
        return (int)n;
    }

    public static string Format(ReadOnlySpan<int> shape)
    {
        var sb = new StringBuilder("[");
        for (int i = 0; i < shape.Length; i++)
        {
            sb.Append(i == 0 ? "" : ", ").Append(shape[i]);
        }
        return sb.Append(']').ToString();
    }

    public static int NormalizeDim(int dim, int rank, string op)
    {
        int d = dim < 0 ? dim + rank : dim;
        if ((uint)d >= (uint)rank)
        {
            throw new ArgumentOutOfRangeException(nameof(dim), dim,
                $"{op}: dimension {dim} is out of range for a tensor of rank {rank}.");
        }
        return d;
    }

    public static void SameShape(string op, Tensor a, Tensor b)
    {
        if (!a.Shape.SequenceEqual(b.Shape))
        {
            throw new ArgumentException(
                $"{op}: shapes must match, but the first operand is {a.Describe()} and the second is {b.Describe()}.");
        }
    }

    public static void Rank(string op, string argument, Tensor t, int expectedRank, string layout)
    {
        if (t.Rank != expectedRank)
        {
            throw new ArgumentException(
                $"{op}: {argument} must have rank {expectedRank} ({layout}), but has shape {t.Describe()}.");
        }
    }

    public static void Dim(string op, string argument, Tensor t, int dim, int expected, string meaning)
    {
        if (t.Shape[dim] != expected)
        {
            throw new ArgumentException(
                $"{op}: {argument} {meaning} (dimension {dim}) expected {expected}, actual {t.Shape[dim]} "
                + $"(shape {t.Describe()}).");
        }
    }

    public static void Numel(string op, string argument, Tensor t, int expected)
    {
        if (t.Numel != expected)
        {
            throw new ArgumentException(
                $"{op}: {argument} must have {expected} elements, but has shape {t.Describe()} ({t.Numel} elements).");
        }
    }
}
