using NasBench.Search.Darts.Operations;
using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Search.Darts.Network;

/// <summary>A cell of the evaluation network built from a genotype: node k = op_a(state_a) + op_b(state_b), output =
/// concat of the genotype's concat nodes (darts.md §1.8). Affine BN everywhere.</summary>
/// <remarks>With <see cref="Recompute"/> each preprocessing block and each operation other than an identity runs in
/// an <see cref="ActivationCheckpoint"/> while training: only its input and output stay alive until backward, which
/// runs it again. A separable convolution keeps eight intermediates otherwise, so this cuts the activation memory of
/// training several-fold for one extra forward of the cell. Drop-path stays outside the checkpoints (its mask is
/// drawn once), so results are the same with and without.</remarks>
public sealed class DiscreteCell : Module
{
    private readonly Module<Tensor, Tensor> _preprocess0;
    private readonly Module<Tensor, Tensor> _preprocess1;
    private readonly ModuleList<Module<Tensor, Tensor>> _ops = new();
    private readonly IReadOnlyList<GenotypeEdge> _edges;
    private readonly IReadOnlyList<int> _concat;
    private readonly bool[] _isIdentity;
    private readonly Func<Tensor[], Tensor>[] _opFunctions;
    private readonly Func<Tensor[], Tensor> _preprocess0Function;
    private readonly Func<Tensor[], Tensor> _preprocess1Function;

    public DiscreteCell(Genotype genotype, int channelsPrevPrev, int channelsPrev, int channels, bool reduction,
        bool reductionPrev, Generator generator)
    {
        IsReduction = reduction;
        _edges = reduction ? genotype.Reduce : genotype.Normal;
        _concat = reduction ? genotype.ReduceConcat : genotype.NormalConcat;
        _preprocess0 = reductionPrev
            ? new FactorizedReduce(channelsPrevPrev, channels, affine: true, generator)
            : new ReluConvBn(channelsPrevPrev, channels, 1, 1, 0, affine: true, generator);
        _preprocess1 = new ReluConvBn(channelsPrev, channels, 1, 1, 0, affine: true, generator);
        RegisterModule("preprocess0", _preprocess0);
        RegisterModule("preprocess1", _preprocess1);
        _isIdentity = new bool[_edges.Count];
        for (int i = 0; i < _edges.Count; i++)
        {
            int stride = reduction && _edges[i].Input < 2 ? 2 : 1;
            var op = DartsOperationFactory.Create(_edges[i].Operation, channels, stride, affine: true, search: false,
                generator);
            _isIdentity[i] = op is Identity;
            _ops.Add(op);
        }
        RegisterModule("_ops", _ops);
        OutChannels = _concat.Count * channels;
        // Built once: the checkpoints take a function of their inputs, and a lambda per call would allocate.
        _opFunctions = [.. _ops.Select(op => (Func<Tensor[], Tensor>)(xs => op.Forward(xs[0])))];
        _preprocess0Function = xs => _preprocess0.Forward(xs[0]);
        _preprocess1Function = xs => _preprocess1.Forward(xs[0]);
    }

    /// <summary>Recompute operations in backward instead of keeping their intermediates (see remarks).</summary>
    public bool Recompute { get; set; }

    public bool IsReduction { get; }

    public int OutChannels { get; }

    /// <param name="dropPathProbability">Drop-path probability for non-identity ops (training only).</param>
    public Tensor Forward(Tensor s0, Tensor s1, float dropPathProbability, Generator generator)
    {
        bool checkpointed = Checkpointed;
        var states = new List<Tensor>(2 + (_edges.Count / 2))
        {
            checkpointed ? ActivationCheckpoint.Run(_preprocess0Function, s0) : _preprocess0.Forward(s0),
            checkpointed ? ActivationCheckpoint.Run(_preprocess1Function, s1) : _preprocess1.Forward(s1),
        };
        for (int node = 0; node < _edges.Count / 2; node++)
        {
            var a = Apply(2 * node, states, checkpointed, dropPathProbability, generator);
            var b = Apply((2 * node) + 1, states, checkpointed, dropPathProbability, generator);
            states.Add(a + b);
        }
        return Functional.Cat([.. _concat.Select(i => states[i])], 1);
    }

    private Tensor Apply(int edge, List<Tensor> states, bool checkpointed, float dropPath, Generator generator)
    {
        var input = states[_edges[edge].Input];
        var h = checkpointed && !_isIdentity[edge]
            ? ActivationCheckpoint.Run(_opFunctions[edge], input)
            : _ops[edge].Forward(input);
        // The reference drops every op that is not an identity (a stride-2 skip is FactorizedReduce and is dropped).
        return IsTraining && dropPath > 0 && !_isIdentity[edge] ? Functional.DropPath(h, dropPath, true, generator) : h;
    }

    /// <summary>Whether operations run in checkpoints: to recompute them in training, and always without the tape.
    /// </summary>
    /// <remarks>Without the tape (evaluation) a checkpoint only runs the function in a scope of its own, so each
    /// operation's intermediates go back to the pool as soon as it returns instead of living until the caller's scope
    /// ends: a 256-image test batch otherwise held every intermediate of the whole network at once, and set the peak
    /// memory of training.</remarks>
    private bool Checkpointed => (Recompute && IsTraining) || !Tensor.IsGradEnabled;
}
