namespace NasBench.Search.Darts.Search;

/// <summary>Hyper-parameters of the bi-level search; defaults are the DARTS reference values (darts.md §1.6).</summary>
/// <param name="SecondOrder">Unrolled (DARTS-V2) architecture gradient with the finite-difference Hessian-vector
/// product; first order (DARTS-V1) otherwise.</param>
public sealed record DartsSearchOptions(
    int Epochs = 50,
    double WeightLearningRate = 0.025,
    double WeightLearningRateMin = 0.001,
    double Momentum = 0.9,
    double WeightDecay = 3e-4,
    double GradientClip = 5,
    double ArchLearningRate = 3e-4,
    double ArchWeightDecay = 1e-3,
    double ArchBeta1 = 0.5,
    double ArchBeta2 = 0.999,
    bool SecondOrder = false);
