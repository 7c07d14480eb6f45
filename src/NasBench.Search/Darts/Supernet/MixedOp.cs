using NasBench.Search.Darts.Operations;
using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Search.Darts.Supernet;

/// <summary>One edge of the supernet: <c>Σ_o softmax(α)_o · o(x)</c> over the eight candidates (darts.md §1.3).</summary>
/// <remarks>The <c>none</c> term is zero in value and in gradient with respect to its weight, so it is not computed:
/// it still takes part in the softmax through the weights vector, which is what matters for α.
/// With <see cref="Recompute"/> the candidates and their sum run inside an <see cref="ActivationCheckpoint"/>: only
/// the edge's input, weights and output are kept for backward, which re-runs the candidates. The candidates draw no
/// random numbers (drop path is not used in the search network), so the recomputation gives the same values.</remarks>
public sealed class MixedOp : Module
{
    private readonly ModuleList<Module<Tensor, Tensor>> _ops = new();
    private readonly int _noneIndex = DartsOperations.IndexOf(DartsOperations.None);
    private readonly Func<Tensor[], bool, Tensor> _candidates;

    /// <summary>Candidates that start with ReLU → depthwise of the edge input, and their heads' geometry.</summary>
    private readonly int[] _headOps;
    private readonly int[] _headPaddings;
    private readonly int[] _headDilations;
    private readonly int _headStride;

    /// <param name="channels">C (in = out).</param>
    /// <param name="stride">1, or 2 on the edges leaving the inputs of a reduction cell.</param>
    /// <param name="generator">Initialises the candidates' weights.</param>
    /// <param name="recompute">Initial <see cref="Recompute"/>.</param>
    public MixedOp(int channels, int stride, Generator generator, bool recompute = false)
    {
        foreach (string name in DartsOperations.All)
        {
            _ops.Add(DartsOperationFactory.Create(name, channels, stride, affine: false, search: true, generator));
        }
        RegisterModule("ops", _ops);
        var heads = Enumerable.Range(0, _ops.Count)
            .Where(o => _ops[o] is IReluDepthwiseHead { Head: { Bias: null } head } && head.Stride == stride).ToArray();
        _headOps = heads;
        _headPaddings = heads.Select(o => ((IReluDepthwiseHead)_ops[o]).Head.Padding).ToArray();
        _headDilations = heads.Select(o => ((IReluDepthwiseHead)_ops[o]).Head.Dilation).ToArray();
        _headStride = stride;
        Recompute = recompute;
        _candidates = Candidates;
    }

    /// <summary>Whether the candidates' intermediates are recomputed in backward instead of kept from the forward
    /// (same values and gradients; about one more forward of the edge per backward, far less memory).</summary>
    public bool Recompute { get; set; }

    /// <summary>Whether the candidates' final non-affine batch norms are folded into the weighted sum
    /// (<see cref="Functional.NormalizedWeightedSum"/>; default) instead of run as separate layers. Same function
    /// and gradients; the normalised outputs are never written, which saves memory traffic and, without
    /// <see cref="Recompute"/>, seven kept tensors per edge.</summary>
    public bool FuseNorms { get; set; } = true;

    /// <summary>Whether the separable and dilated candidates' first depthwise convolutions run as one kernel pass
    /// over the edge input (<see cref="Functional.ReluDepthwiseConv2dShared"/>; default) instead of one pass each.
    /// Same values and gradients bit for bit; the input planes are read and padded once instead of four times.
    /// </summary>
    public bool ShareDepthwiseHeads { get; set; } = true;

    /// <summary>Edges whose output maps have at most this many pixels run their candidates on batch-minor
    /// activations (<see cref="Functional.BatchMinor"/>; 0 = never). Same function and gradients up to float
    /// rounding. Needs <see cref="FuseNorms"/>.</summary>
    /// <remarks>On 14×14 and 7×7 maps the NCHW kernels spend most of their lanes on padding and per-image
    /// products 49 or 196 columns wide; with the images in the vector lanes the edge input and output are each moved
    /// once, and every pass in between uses whole vectors.</remarks>
    public int BatchMinorMaxPlane { get; set; } = DefaultBatchMinorMaxPlane;

    /// <summary>Whether an edge whose output map has <paramref name="outputPlane"/> pixels takes the batch-minor
    /// layout: with <see cref="FuseNorms"/>, when the map has at most <see cref="BatchMinorMaxPlane"/> pixels.
    /// </summary>
    /// <remarks>The output decides, not the input: a stride-2 edge does all but its first depthwise convolution (or
    /// pooling, or FactorizedReduce) on the output's map.</remarks>
    public bool RunsBatchMinor(int outputPlane) => FuseNorms && outputPlane <= BatchMinorMaxPlane;

    /// <summary>The default <see cref="BatchMinorMaxPlane"/>: the 14×14 and 7×7 maps of a 28×28 input.</summary>
    public const int DefaultBatchMinorMaxPlane = 14 * 14;

    /// <param name="input">[N, C, H, W].</param>
    /// <param name="weights">[8], softmax(α) of this edge.</param>
    /// <returns>[N, C, H / stride, W / stride].</returns>
    public Tensor Forward(Tensor input, Tensor weights) =>
        Recompute ? ActivationCheckpoint.Run(_candidates, input, weights) : Candidates(input, weights, null, false);

    /// <summary><c>addend + Forward(input, weights)</c>: a cell node's running sum over its edges.</summary>
    /// <remarks>With <see cref="Recompute"/> the addition happens inside the checkpoint, so the tape keeps one
    /// tensor per edge (the running sum) instead of the edge output and the sum. With <see cref="FuseNorms"/> the
    /// weighted sum adds the addend itself (one pass fewer, the same values bit for bit).</remarks>
    /// <param name="input">[N, C, H, W].</param>
    /// <param name="weights">[8], softmax(α) of this edge.</param>
    /// <param name="addend">The node's sum so far, the output's shape; null for the node's first edge.</param>
    public Tensor Forward(Tensor input, Tensor weights, Tensor? addend)
    {
        if (addend is null)
        {
            return Forward(input, weights);
        }
        return Recompute
            ? ActivationCheckpoint.Run(_candidates, input, weights, addend)
            : Candidates(input, weights, addend, false);
    }

    /// <summary>The checkpointed function. inputs: the edge input, its [8] weights and optionally the addend.
    /// </summary>
    /// <remarks>In the recomputation nothing reads the output's values, so the folded weighted sum skips them
    /// (<c>gradientOnly</c>): a pass over the seven candidates and the addend saved per edge.</remarks>
    private Tensor Candidates(Tensor[] inputs, bool recomputing) =>
        Candidates(inputs[0], inputs[1], inputs.Length > 2 ? inputs[2] : null, recomputing);

    /// <summary><c>addend + Σ_o w_o·o(input)</c>.</summary>
    private Tensor Candidates(Tensor input, Tensor weights, Tensor? addend, bool gradientOnly)
    {
        if (RunsBatchMinor(OutputSide(input.Shape[2]) * OutputSide(input.Shape[3])))
        {
            return BatchMinorCandidates(input, weights, addend, gradientOnly);
        }
        var heads = ShareDepthwiseHeads && _headOps.Length > 1 ? SharedHeads(input) : null;
        var outputs = new List<Tensor>(_ops.Count - 1);
        var norms = FuseNorms ? new List<BatchNorm2d?>(_ops.Count - 1) : null;
        for (int o = 0, h = 0; o < _ops.Count; o++)
        {
            if (o == _noneIndex)
            {
                continue;
            }
            var head = heads is not null && h < _headOps.Length && _headOps[h] == o ? heads[h++] : null;
            if (norms is not null && _ops[o] is IBatchNormTail { TailNorm: { Weight: null } norm } tail)
            {
                outputs.Add(head is null ? tail.ForwardBeforeNorm(input)
                    : Tensor.Consumed(head, ((IReluDepthwiseHead)tail).ContinueBeforeNorm(head)));
                norms.Add(norm);
            }
            else
            {
                outputs.Add(head is null ? _ops[o].Forward(input)
                    : Tensor.Consumed(head, ContinueFromHead((IReluDepthwiseHead)_ops[o], head)));
                norms?.Add(null);
            }
        }
        // none is index 0, so the remaining weights are the contiguous tail.
        var tailWeights = weights.Narrow(0, _noneIndex + 1, _ops.Count - 1);
        if (norms is null)
        {
            var sum = Functional.WeightedSum(outputs, tailWeights);
            return addend is null ? sum : addend + sum;
        }
        var result = Functional.NormalizedWeightedSum(outputs, tailWeights, norms, addend, gradientOnly);
        // Without the tape the candidates' outputs go back to the pool now (not the input itself, which skip_connect
        // returns), so the next edge reuses them while they are still in cache.
        foreach (var output in outputs)
        {
            if (!ReferenceEquals(output, input))
            {
                Tensor.Consumed(output, result);
            }
        }
        return result;
    }

    /// <summary>The edge's output side for an input side (every candidate pads to keep ⌈side / stride⌉).</summary>
    public int OutputSide(int side) => (side - 1) / _headStride + 1;

    /// <summary><see cref="Candidates(Tensor, Tensor, Tensor?, bool)"/> on batch-minor activations: the input is
    /// moved to [1, C, H·W, N] once, every candidate and the folded weighted sum run there, and the sum is moved back
    /// (adding the addend on the way).</summary>
    private Tensor BatchMinorCandidates(Tensor input, Tensor weights, Tensor? addend, bool gradientOnly)
    {
        int height = input.Shape[2], width = input.Shape[3];
        var x = Functional.BatchMinor.From(input);
        var sum = Tensor.Consumed(x, BatchMinorSum(x, height, width, weights, null, gradientOnly));
        return Tensor.Consumed(sum, Functional.BatchMinor.To(sum, OutputSide(height), OutputSide(width), addend,
            gradientOnly));
    }

    /// <summary><c>addend + Σ_o w_o·o(x)</c> with x, the addend and the result batch-minor: a cell whose states
    /// all stay in that layout (<see cref="SearchCell"/>) calls this instead of moving each edge's input and output.
    /// </summary>
    /// <param name="x">[1, C, H·W, N], the map <paramref name="height"/> × <paramref name="width"/>.</param>
    /// <param name="weights">[8], softmax(α) of this edge.</param>
    /// <param name="addend">The node's sum so far, [1, C, OH·OW, N]; null for the node's first edge.</param>
    /// <returns>[1, C, OH·OW, N], OH = ⌈H / stride⌉.</returns>
    public Tensor ForwardBatchMinor(Tensor x, int height, int width, Tensor weights, Tensor? addend)
    {
        Func<Tensor[], bool, Tensor> edge = (t, recomputing) =>
            BatchMinorSum(t[0], height, width, t[1], t.Length > 2 ? t[2] : null, recomputing);
        Tensor[] inputs = addend is null ? [x, weights] : [x, weights, addend];
        return Recompute ? ActivationCheckpoint.Run(edge, inputs) : edge(inputs, false);
    }

    /// <summary>The batch-minor candidates and their folded weighted sum; x stays the caller's.</summary>
    private Tensor BatchMinorSum(Tensor x, int height, int width, Tensor weights, Tensor? addend, bool gradientOnly)
    {
        int outHeight = OutputSide(height), outWidth = OutputSide(width);
        var outputs = new List<Tensor>(_ops.Count - 1);
        var norms = new List<BatchNorm2d?>(_ops.Count - 1);
        for (int o = 0; o < _ops.Count; o++)
        {
            switch (_ops[o])
            {
                case var _ when o == _noneIndex:
                    continue;
                case Identity:
                    outputs.Add(x);
                    norms.Add(null);
                    break;
                case PoolBn pool:
                    outputs.Add(pool.ForwardBeforeNormBatchMinor(x, height, width));
                    norms.Add(pool.TailNorm);
                    break;
                case FactorizedReduce reduce:
                    outputs.Add(reduce.ForwardBeforeNormBatchMinor(x, height, width));
                    norms.Add(reduce.TailNorm);
                    break;
                case IReluDepthwiseHead op:
                    // The depthwise candidates all start with relu(x), fused into their first convolution: relu(x)
                    // is never written or kept, and the heads' gradients reach x masked, with no ReLU pass.
                    var head = Functional.BatchMinor.ReluDepthwiseConv2d(x, op.Head.Weight, height, width,
                        op.Head.Padding, op.Head.Dilation, _headStride);
                    outputs.Add(Tensor.Consumed(head, op.ContinueBeforeNormBatchMinor(head, outHeight, outWidth)));
                    norms.Add(op.TailNorm);
                    break;
                default:
                    throw new InvalidOperationException(
                        $"MixedOp: candidate {o} ({_ops[o].GetType().Name}) has no batch-minor form.");
            }
        }
        var tailWeights = weights.Narrow(0, _noneIndex + 1, _ops.Count - 1);
        var sum = Functional.NormalizedWeightedSum(outputs, tailWeights, norms, addend, gradientOnly);
        foreach (var output in outputs)
        {
            if (!ReferenceEquals(output, x))
            {
                Tensor.Consumed(output, sum);
            }
        }
        return sum;
    }

    /// <summary>The heads of the depthwise candidates, in <see cref="_headOps"/> order, from one pass over the input.
    /// </summary>
    private Tensor[] SharedHeads(Tensor input)
    {
        var headWeights = new Tensor[_headOps.Length];
        for (int h = 0; h < _headOps.Length; h++)
        {
            headWeights[h] = ((IReluDepthwiseHead)_ops[_headOps[h]]).Head.Weight;
        }
        return Functional.ReluDepthwiseConv2dShared(input, headWeights, _headPaddings, _headDilations, _headStride);
    }

    private static Tensor ContinueFromHead(IReluDepthwiseHead op, Tensor head)
    {
        var beforeNorm = op.ContinueBeforeNorm(head);
        return op.TailNorm is null ? beforeNorm : op.TailNorm.Forward(beforeNorm);
    }
}
