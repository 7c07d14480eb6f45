namespace NasBench.Data;

/// <summary>A seeded partition of item indices into a training part and a validation part.</summary>
/// <remarks>
/// Bi-level search (DARTS) fits weights on <see cref="Train"/> and architecture parameters on
/// <see cref="Validation"/>; the two are disjoint and together cover <c>0..count−1</c> exactly once. The validation
/// part gets <c>round(count · fraction)</c> items. The same seed always gives the same partition.
/// </remarks>
public sealed class DataSplit
{
    private DataSplit(int[] train, int[] validation)
    {
        Train = train;
        Validation = validation;
    }

    /// <summary>Indices of the training part, in shuffled order.</summary>
    public int[] Train { get; }

    /// <summary>Indices of the validation part, in shuffled order.</summary>
    public int[] Validation { get; }

    /// <summary>A uniformly shuffled split of <c>0..count−1</c>.</summary>
    public static DataSplit Random(int count, double validationFraction, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        CheckFraction(validationFraction);
        int[] order = Permutation(count, seed);
        int validation = (int)Math.Round(count * validationFraction, MidpointRounding.AwayFromZero);
        return new DataSplit(order[validation..], order[..validation]);
    }

    /// <summary>A split that keeps each class's share equal in both parts (stratified by <paramref
    /// name="labels"/>).</summary>
    /// <remarks>Each class contributes <c>round(n_c · fraction)</c> items to validation; both parts are then
    /// shuffled.</remarks>
    public static DataSplit Stratified(ReadOnlySpan<int> labels, int classCount, double validationFraction, int seed)
    {
        CheckFraction(validationFraction);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        var rng = new System.Random(seed);
        int[] order = Permutation(labels.Length, rng);
        var perClass = new int[classCount];
        foreach (int label in labels)
        {
            perClass[label]++;
        }

        var quota = new int[classCount];
        for (int c = 0; c < classCount; c++)
        {
            quota[c] = (int)Math.Round(perClass[c] * validationFraction, MidpointRounding.AwayFromZero);
        }

        var train = new List<int>(labels.Length);
        var validation = new List<int>();
        foreach (int index in order)
        {
            if (quota[labels[index]]-- > 0)
            {
                validation.Add(index);
            }
            else
            {
                train.Add(index);
            }
        }

        return new DataSplit([.. train], [.. validation]);
    }

    /// <summary>A seeded Fisher–Yates permutation of <c>0..count−1</c>.</summary>
    public static int[] Permutation(int count, int seed) => Permutation(count, new System.Random(seed));

    /// <summary>Fisher–Yates shuffle of <paramref name="items"/> in place with <paramref name="random"/>.</summary>
    public static void Shuffle(Span<int> items, System.Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static int[] Permutation(int count, System.Random random)
    {
        var order = new int[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }

        Shuffle(order, random);
        return order;
    }

    private static void CheckFraction(double fraction)
    {
        if (!(fraction >= 0 && fraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction,
                "The validation fraction must be in [0, 1].");
        }
    }
}
