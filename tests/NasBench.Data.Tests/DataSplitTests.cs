namespace NasBench.Data.Tests;

public sealed class DataSplitTests
{
    [Theory]
    [InlineData(100, 0.5)]
    [InlineData(101, 0.5)]
    [InlineData(37, 0.1)]
    [InlineData(10, 0.0)]
    [InlineData(10, 1.0)]
    public void Random_split_is_a_disjoint_cover_of_the_right_sizes(int count, double fraction)
    {
        DataSplit split = DataSplit.Random(count, fraction, seed: 5);

        int expectedValidation = (int)Math.Round(count * fraction, MidpointRounding.AwayFromZero);
        Assert.Equal(expectedValidation, split.Validation.Length);
        Assert.Equal(count - expectedValidation, split.Train.Length);
        Assert.Empty(split.Train.Intersect(split.Validation));
        Assert.Equal(Enumerable.Range(0, count), split.Train.Concat(split.Validation).Order());
    }

    [Fact]
    public void Same_seed_same_split_other_seed_other_split()
    {
        DataSplit a = DataSplit.Random(1000, 0.5, seed: 1);
        DataSplit b = DataSplit.Random(1000, 0.5, seed: 1);
        DataSplit c = DataSplit.Random(1000, 0.5, seed: 2);

        Assert.Equal(a.Train, b.Train);
        Assert.Equal(a.Validation, b.Validation);
        Assert.NotEqual(a.Train.Order(), c.Train.Order());
        // A shuffle, not a prefix: the training half is not simply 500..999.
        Assert.NotEqual(Enumerable.Range(500, 500), a.Train.Order());
    }

    [Fact]
    public void Stratified_split_keeps_class_shares()
    {
        int[] labels = Enumerable.Range(0, 310).Select(i => i < 100 ? 0 : i < 250 ? 1 : 2).ToArray();
        DataSplit split = DataSplit.Stratified(labels, 3, 0.2, seed: 3);

        Assert.Equal(20, split.Validation.Count(i => labels[i] == 0));
        Assert.Equal(30, split.Validation.Count(i => labels[i] == 1));
        Assert.Equal(12, split.Validation.Count(i => labels[i] == 2));
        Assert.Equal(Enumerable.Range(0, 310), split.Train.Concat(split.Validation).Order());
        Assert.Equal(split.Validation, DataSplit.Stratified(labels, 3, 0.2, seed: 3).Validation);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Fraction_outside_unit_interval_is_rejected(double fraction)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSplit.Random(10, fraction, 0));
    }
}
