namespace NasBench.Tensors.Nn;

/// <summary>Batch normalisation over the channels of [N, C, H, W] (also accepts [N, C]).</summary>
/// <remarks>Parameters weight (γ, init 1) and bias (β, init 0) when affine; buffers running_mean (0) and running_var
/// (1) when tracking. Training uses batch statistics and updates the buffers; evaluation uses the buffers. Without
/// running statistics, batch statistics are used in both modes (PyTorch).</remarks>
public sealed class BatchNorm2d : Module<Tensor, Tensor>
{
    public BatchNorm2d(int numFeatures, float eps = 1e-5f, float momentum = 0.1f, bool affine = true,
        bool trackRunningStats = true)
    {
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        if (affine)
        {
            var w = new Parameter(numFeatures);
            w.AsSpan().Fill(1f);
            Weight = w;
            Bias = new Parameter(numFeatures);
        }
        if (trackRunningStats)
        {
            RunningMean = Tensor.CreateUnscoped([numFeatures]);
            RunningMean.AsSpan().Clear();
            RunningVar = Tensor.CreateUnscoped([numFeatures]);
            RunningVar.AsSpan().Fill(1f);
            RegisterBuffer("running_mean", RunningMean);
            RegisterBuffer("running_var", RunningVar);
        }
    }

    public int NumFeatures { get; }

    public float Eps { get; }

    public float Momentum { get; }

    public Parameter? Weight
    {
        get;
        set
        {
            field = value;
            RegisterParameter("weight", value);
        }
    }

    public Parameter? Bias
    {
        get;
        set
        {
            field = value;
            RegisterParameter("bias", value);
        }
    }

    public Tensor? RunningMean { get; }

    public Tensor? RunningVar { get; }

    public override Tensor Forward(Tensor input)
    {
        bool useBatchStats = IsTraining || RunningMean is null;
        return Functional.BatchNorm(input, RunningMean, RunningVar, Weight, Bias, useBatchStats, Momentum, Eps);
    }
}
