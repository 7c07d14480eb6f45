using NasBench.Search.Darts.Operations;
using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Search.Darts.Supernet;

/// <summary>One edge of the supernet: <c>Σ_o softmax(α)_o · o(x)</c> over the eight candidates (darts.md §1.3).</summary>
/// <remarks>The <c>none</c> term is zero in value and in gradient with respect to its weight, so it is not computed:
/// it still takes part in the softmax through the weights vector, which is what matters for α.</remarks>
public sealed class MixedOp : Module
{
    private readonly ModuleList<Module<Tensor, Tensor>> _ops = new();
    private readonly int _noneIndex = DartsOperations.IndexOf(DartsOperations.None);

    public MixedOp(int channels, int stride, Generator generator)
    {
        foreach (string name in DartsOperations.All)
        {
            _ops.Add(DartsOperationFactory.Create(name, channels, stride, affine: false, search: true, generator));
        }
        RegisterModule("ops", _ops);
    }

    /// <param name="input">[N, C, H, W].</param>
    /// <param name="weights">[8], softmax(α) of this edge.</param>
    public Tensor Forward(Tensor input, Tensor weights)
    {
        var outputs = new List<Tensor>(_ops.Count - 1);
        for (int o = 0; o < _ops.Count; o++)
        {
            if (o != _noneIndex)
            {
                outputs.Add(_ops[o].Forward(input));
            }
        }
        // none is index 0, so the remaining weights are the contiguous tail.
        return Functional.WeightedSum(outputs, weights.Narrow(0, _noneIndex + 1, _ops.Count - 1));
    }
}
