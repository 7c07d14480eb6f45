namespace NasBench.Search.Tests.Darts;

/// <summary>One network with its optimiser and a fixed batch: what a recomputation test steps side by side.</summary>
internal interface ITrainingRun
{
    /// <summary>Zeroes the gradients, runs forward and backward, returns the loss.</summary>
    float Step(int step);

    void Update();

    Dictionary<string, float[]> Gradients();

    Dictionary<string, float[]> Buffers();
}

/// <summary>Two runs that differ only in what they keep for backward (every activation, or recomputed ones) must
/// train alike.</summary>
internal static class RecomputeComparison
{
    /// <summary>Steps both runs twice. The first loss is bit-identical (the same ops on the same values); after an
    /// update the weights differ by the gradients' summation order, hence tolerances from the second step on.
    /// Gradients may differ only in the summation order of contributions reaching a shared tensor. Running statistics
    /// are updated by a checkpoint's first run only; a second update would move them by another momentum step.</summary>
    public static void AssertSameTraining(ITrainingRun plain, ITrainingRun recomputed)
    {
        for (int step = 0; step < 2; step++)
        {
            float plainLoss = plain.Step(step);
            float recomputedLoss = recomputed.Step(step);
            if (step == 0)
            {
                Assert.Equal(plainLoss, recomputedLoss);
            }
            else
            {
                Assert.Equal(plainLoss, recomputedLoss, 1e-5 * Math.Abs(plainLoss));
            }
            var expectedGradients = plain.Gradients();
            var actualGradients = recomputed.Gradients();
            Assert.Equal(expectedGradients.Keys.Order(), actualGradients.Keys.Order());
            foreach (var (name, expected) in expectedGradients)
            {
                NormAssert.Close(expected, actualGradients[name], 1e-5, $"step {step}, gradient of {name}");
            }
            var actualBuffers = recomputed.Buffers();
            foreach (var (name, expected) in plain.Buffers())
            {
                // The running mean of a BN fed by a normalised tensor is zero up to rounding (~1e-8), where a relative
                // bound means nothing: an absolute floor far below any real statistic covers it.
                NormAssert.Close(expected, actualBuffers[name], step == 0 ? 0 : 1e-5, $"step {step}, buffer {name}",
                    absolute: step == 0 ? 0 : 1e-7);
            }
            plain.Update();
            recomputed.Update();
        }
    }
}
