namespace NasBench.Search.Training;

/// <summary>Settings of <see cref="ClassifierTrainer"/>. Defaults are the DARTS evaluation recipe (darts.md §1.8:
/// SGD momentum 0.9, weight decay 3·10⁻⁴, cosine schedule from 0.025 to 0, gradient clipping at 5, auxiliary weight
/// 0.4, batch 96), with a short epoch count for CPU runs and no drop-path unless asked.</summary>
public sealed record TrainerOptions
{
    /// <summary>Training epochs; also the cosine schedule's period.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Training mini-batch size.</summary>
    public int BatchSize { get; init; } = 96;

    /// <summary>Batch size of the test-set evaluation (no gradients, so larger is fine).</summary>
    public int EvalBatchSize { get; init; } = 256;

    /// <summary>Initial learning rate lr₀ of the cosine schedule.</summary>
    public double LearningRate { get; init; } = 0.025;

    /// <summary>Final learning rate η_min of the cosine schedule.</summary>
    public double MinLearningRate { get; init; }

    /// <summary>SGD momentum (Nesterov off).</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>L2 weight decay added to the gradient.</summary>
    public double WeightDecay { get; init; } = 3e-4;

    /// <summary>Global gradient-norm bound (≤ 0: no clipping).</summary>
    public double GradientClip { get; init; } = 5;

    /// <summary>Weight of the auxiliary head's loss, used when the model is a DARTS network built with one.</summary>
    public double AuxiliaryWeight { get; init; } = 0.4;

    /// <summary>Final drop-path probability; epoch e (from 0) uses <c>DropPath · e / Epochs</c>.</summary>
    public float DropPath { get; init; }

    /// <summary>Random-crop padding in pixels (0: no cropping).</summary>
    public int CropPadding { get; init; } = 4;

    /// <summary>Random horizontal flips with probability ½.</summary>
    public bool Flip { get; init; } = true;

    /// <summary>Cutout square side in pixels (0: no cutout).</summary>
    public int CutoutLength { get; init; }

    /// <summary>Seed of the data order, augmentation and drop-path streams (model initialisation is the caller's).
    /// </summary>
    public int Seed { get; init; }

    /// <summary>Batches the loader prepares ahead on a background thread (0, 1 or 2); never changes results.</summary>
    public int Prefetch { get; init; } = 1;

    /// <summary>Checks every value and throws an exception naming the first bad one.</summary>
    public void Validate()
    {
        static void Positive(string name, double value)
        {
            if (!(value > 0))
            {
                throw new ArgumentOutOfRangeException(name, value, $"TrainerOptions.{name} must be positive.");
            }
        }

        static void NonNegative(string name, double value)
        {
            if (!(value >= 0))
            {
                throw new ArgumentOutOfRangeException(name, value, $"TrainerOptions.{name} must be non-negative.");
            }
        }

        Positive(nameof(Epochs), Epochs);
        Positive(nameof(BatchSize), BatchSize);
        Positive(nameof(EvalBatchSize), EvalBatchSize);
        Positive(nameof(LearningRate), LearningRate);
        NonNegative(nameof(MinLearningRate), MinLearningRate);
        NonNegative(nameof(Momentum), Momentum);
        NonNegative(nameof(WeightDecay), WeightDecay);
        NonNegative(nameof(AuxiliaryWeight), AuxiliaryWeight);
        NonNegative(nameof(CropPadding), CropPadding);
        NonNegative(nameof(CutoutLength), CutoutLength);
        if (DropPath is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(DropPath), DropPath,
                "TrainerOptions.DropPath must be in [0, 1).");
        }
    }
}
