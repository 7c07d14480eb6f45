using NasBench.Search.Darts.Operations;
using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Search.Darts.Network;

/// <summary>A cell of the evaluation network built from a genotype: node k = op_a(state_a) + op_b(state_b), output =
/// concat of the genotype's concat nodes (darts.md §1.8). Affine BN everywhere.</summary>
public sealed class DiscreteCell : Module
{
    private readonly Module<Tensor, Tensor> _preprocess0;
    private readonly Module<Tensor, Tensor> _preprocess1;
    private readonly ModuleList<Module<Tensor, Tensor>> _ops = new();
    private readonly IReadOnlyList<GenotypeEdge> _edges;
    private readonly IReadOnlyList<int> _concat;
    private readonly bool[] _isIdentity;

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
    }

    public bool IsReduction { get; }

    public int OutChannels { get; }

    /// <param name="dropPathProbability">Drop-path probability for non-identity ops (training only).</param>
    public Tensor Forward(Tensor s0, Tensor s1, float dropPathProbability, Generator generator)
    {
        var states = new List<Tensor>(2 + (_edges.Count / 2)) { _preprocess0.Forward(s0), _preprocess1.Forward(s1) };
        for (int node = 0; node < _edges.Count / 2; node++)
        {
            var a = Apply(2 * node, states, dropPathProbability, generator);
            var b = Apply((2 * node) + 1, states, dropPathProbability, generator);
            states.Add(a + b);
        }
        return Functional.Cat([.. _concat.Select(i => states[i])], 1);
    }

    private Tensor Apply(int edge, List<Tensor> states, float dropPath, Generator generator)
    {
        var h = _ops[edge].Forward(states[_edges[edge].Input]);
        // The reference drops every op that is not an identity (a stride-2 skip is FactorizedReduce and is dropped).
        return IsTraining && dropPath > 0 && !_isIdentity[edge] ? Functional.DropPath(h, dropPath, true, generator) : h;
    }
}
