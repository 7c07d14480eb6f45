using NasBench.Search.Darts.Operations;
using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Search.Darts.Supernet;

/// <summary>A DARTS search cell: two pre-processed inputs, <c>steps</c> intermediate nodes each summing mixed edges
/// from all earlier nodes, output = channel concat of the last <c>multiplier</c> nodes (darts.md §1.1).</summary>
/// <remarks><c>recomputeEdges</c> sets <see cref="MixedOp.Recompute"/> on every edge and checkpoints the two
/// preprocessing ops too; each node's sum is then accumulated inside its edges' checkpoints
/// (<see cref="MixedOp.Forward(Tensor, Tensor, Tensor?)"/>), so per node only one running sum per edge is kept.
/// </remarks>
public sealed class SearchCell : Module
{
    private readonly Module<Tensor, Tensor> _preprocess0;
    private readonly Module<Tensor, Tensor> _preprocess1;
    private readonly ModuleList<MixedOp> _edges = new();
    private readonly int _steps;
    private readonly int _multiplier;
    private readonly bool _recompute;
    private readonly Func<Tensor[], Tensor> _runPreprocess0;
    private readonly Func<Tensor[], Tensor> _runPreprocess1;

    public SearchCell(int steps, int multiplier, int channelsPrevPrev, int channelsPrev, int channels, bool reduction,
        bool reductionPrev, Generator generator, bool recomputeEdges = false)
    {
        _steps = steps;
        _multiplier = multiplier;
        IsReduction = reduction;
        _preprocess0 = reductionPrev
            ? new FactorizedReduce(channelsPrevPrev, channels, affine: false, generator)
            : new ReluConvBn(channelsPrevPrev, channels, 1, 1, 0, affine: false, generator);
        _preprocess1 = new ReluConvBn(channelsPrev, channels, 1, 1, 0, affine: false, generator);
        RegisterModule("preprocess0", _preprocess0);
        RegisterModule("preprocess1", _preprocess1);
        for (int i = 0; i < steps; i++)
        {
            for (int j = 0; j < 2 + i; j++)
            {
                _edges.Add(new MixedOp(channels, reduction && j < 2 ? 2 : 1, generator, recomputeEdges));
            }
        }
        RegisterModule("ops", _edges);
        _recompute = recomputeEdges;
        _runPreprocess0 = t => _preprocess0.Forward(t[0]);
        _runPreprocess1 = t => _preprocess1.Forward(t[0]);
    }

    public bool IsReduction { get; }

    /// <param name="weights">[edges, 8] softmax of this cell type's α.</param>
    public Tensor Forward(Tensor s0, Tensor s1, Tensor weights)
    {
        var states = new List<Tensor>(2 + _steps) { Preprocess(_runPreprocess0, s0), Preprocess(_runPreprocess1, s1) };
        int height = states[0].Shape[2], width = states[0].Shape[3];
        int outHeight = _edges[0].OutputSide(height), outWidth = _edges[0].OutputSide(width);
        // On small maps every state is batch-minor ([1, C, H·W, N]): the two inputs are moved there once, the node
        // sums stay there, and only the concatenated output is moved back. An edge on its own moves its input in and
        // its output out, 28 layout moves per cell for what takes 3 here. Same function and gradients as the NCHW
        // cell up to float rounding.
        bool batchMinor = _edges[0].RunsBatchMinor(outHeight * outWidth);
        if (batchMinor)
        {
            states[0] = Tensor.Consumed(states[0], Functional.BatchMinor.From(states[0]));
            states[1] = Tensor.Consumed(states[1], Functional.BatchMinor.From(states[1]));
        }
        int offset = 0;
        for (int i = 0; i < _steps; i++)
        {
            Tensor? sum = null;
            for (int j = 0; j < states.Count; j++)
            {
                var edge = _edges[offset + j];
                var edgeWeights = weights.Narrow(0, offset + j, 1).Reshape(DartsOperations.Count);
                // The two cell inputs are on the input map (a reduction cell's stride-2 edges), nodes on the output's.
                sum = !batchMinor ? edge.Forward(states[j], edgeWeights, sum)
                    : j < 2 ? edge.ForwardBatchMinor(states[j], height, width, edgeWeights, sum)
                    : edge.ForwardBatchMinor(states[j], outHeight, outWidth, edgeWeights, sum);
            }
            offset += states.Count;
            states.Add(sum!);
        }
        var output = Functional.Cat(states.GetRange(states.Count - _multiplier, _multiplier), 1);
        return batchMinor ? Tensor.Consumed(output, Functional.BatchMinor.To(output, outHeight, outWidth)) : output;
    }

    /// <summary>The preprocessing (ReLU → 1×1 conv → BN, or FactorizedReduce), checkpointed with the edges: only its
    /// output is kept for backward, not the ReLU and conv outputs at the previous cell's width.</summary>
    private Tensor Preprocess(Func<Tensor[], Tensor> preprocess, Tensor input) =>
        _recompute ? ActivationCheckpoint.Run(preprocess, input) : preprocess([input]);
}
