using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Search.Darts.Operations;

/// <summary>Builds a candidate operation by its literature name (darts.md §1.2).</summary>
public static class DartsOperationFactory
{
    /// <param name="name">One of <see cref="DartsOperations.All"/>.</param>
    /// <param name="channels">C (in = out inside a cell).</param>
    /// <param name="stride">1, or 2 on edges leaving the inputs of a reduction cell.</param>
    /// <param name="affine">Learnable BN γ/β: false in the search network, true in the evaluation network.</param>
    /// <param name="search">True in the supernet, which puts a BN after each pooling op.</param>
    public static Module<Tensor, Tensor> Create(string name, int channels, int stride, bool affine, bool search,
        Generator generator) => name switch
        {
            DartsOperations.None => new Zero(stride),
            DartsOperations.MaxPool3x3 => new PoolBn(max: true, channels, stride, withBatchNorm: search),
            DartsOperations.AvgPool3x3 => new PoolBn(max: false, channels, stride, withBatchNorm: search),
            DartsOperations.SkipConnect => stride == 1
                ? new Identity()
                : new FactorizedReduce(channels, channels, affine, generator),
            DartsOperations.SepConv3x3 => new SepConv(channels, channels, 3, stride, 1, affine, generator),
            DartsOperations.SepConv5x5 => new SepConv(channels, channels, 5, stride, 2, affine, generator),
            DartsOperations.DilConv3x3 => new DilConv(channels, channels, 3, stride, 2, 2, affine, generator),
            DartsOperations.DilConv5x5 => new DilConv(channels, channels, 5, stride, 4, 2, affine, generator),
            _ => throw new GenotypeFormatException(
                $"Unknown DARTS operation '{name}'; expected one of: {string.Join(", ", DartsOperations.All)}."),
        };
}
