namespace NasBench.Tensors.Optim;

/// <summary>Cosine annealing of the learning rate (Loshchilov and Hutter 2017, without restarts), as DARTS uses.
/// </summary>
/// <remarks><c>lr_t = η_min + (lr₀ − η_min)·(1 + cos(π·t / T_max)) / 2</c>, t = number of <see cref="Step"/> calls
/// (usually one per epoch), held at η_min after T_max.</remarks>
public sealed class CosineAnnealingLr
{
    private readonly Optimizer _optimizer;

    public CosineAnnealingLr(Optimizer optimizer, int tMax, double etaMin = 0)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tMax);
        _optimizer = optimizer;
        TMax = tMax;
        EtaMin = etaMin;
        BaseLearningRate = optimizer.LearningRate;
    }

    public int TMax { get; }

    public double EtaMin { get; }

    public double BaseLearningRate { get; }

    /// <summary>Steps taken so far.</summary>
    public int Epoch { get; private set; }

    /// <summary>The learning rate for step <paramref name="epoch"/>.</summary>
    public double LearningRateAt(int epoch)
    {
        int t = Math.Min(epoch, TMax);
        return EtaMin + ((BaseLearningRate - EtaMin) * (1 + Math.Cos(Math.PI * t / TMax)) / 2);
    }

    /// <summary>Advances one step and sets the optimizer's learning rate.</summary>
    public void Step()
    {
        Epoch++;
        _optimizer.LearningRate = LearningRateAt(Epoch);
    }
}
