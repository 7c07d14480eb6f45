using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Search.Darts.Supernet;

/// <summary>The DARTS search network (darts.md §1.4): stem, cells sharing one α per cell type, global pooling and a
/// linear classifier. Weights are the module's parameters; α lives beside them (<see cref="ArchitectureParameters"/>)
/// so the two optimisers of the bi-level problem never see each other's tensors.</summary>
public sealed class DartsSupernet : Module<Tensor, Tensor>
{
    private readonly Sequential _stem;
    private readonly ModuleList<SearchCell> _cells = new();
    private readonly Linear _classifier;

    public DartsSupernet(SupernetConfig config, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        int stem = config.StemMultiplier * config.InitChannels;
        _stem = new Sequential(
            new Conv2d(config.InputChannels, stem, 3, generator, padding: 1, bias: false), new BatchNorm2d(stem));
        RegisterModule("stem", _stem);
        int cPrevPrev = stem, cPrev = stem, c = config.InitChannels;
        bool reductionPrev = false;
        for (int i = 0; i < config.Layers; i++)
        {
            bool reduction = config.IsReduction(i);
            if (reduction)
            {
                c *= 2;
            }
            _cells.Add(new SearchCell(config.Steps, config.Multiplier, cPrevPrev, cPrev, c, reduction, reductionPrev,
                generator, config.RecomputesCell(i)));
            reductionPrev = reduction;
            (cPrevPrev, cPrev) = (cPrev, config.Multiplier * c);
        }
        RegisterModule("cells", _cells);
        foreach (var edge in _cells.NamedModules().Select(m => m.Module).OfType<MixedOp>())
        {
            edge.BatchMinorMaxPlane = config.BatchMinorMaxPlane;
        }
        _classifier = new Linear(cPrev, config.Classes, generator);
        RegisterModule("classifier", _classifier);

        int edges = GenotypeDerivation.EdgeCount(config.Steps);
        AlphaNormal = NewAlpha(edges, generator);
        AlphaReduce = NewAlpha(edges, generator);
    }

    public SupernetConfig Config { get; }

    /// <summary>α of normal cells, [edges, 8], initialised 1e-3·N(0, 1).</summary>
    public Parameter AlphaNormal { get; }

    /// <summary>α of reduction cells, [edges, 8].</summary>
    public Parameter AlphaReduce { get; }

    public IReadOnlyList<Parameter> ArchitectureParameters() => [AlphaNormal, AlphaReduce];

    /// <summary>The network weights (everything but α).</summary>
    public IEnumerable<Parameter> WeightParameters() => Parameters();

    public override Tensor Forward(Tensor input)
    {
        var s0 = _stem.Forward(input);
        var s1 = s0;
        var normal = AlphaNormal.Softmax();
        var reduce = AlphaReduce.Softmax();
        foreach (var cell in _cells)
        {
            (s0, s1) = (s1, cell.Forward(s0, s1, cell.IsReduction ? reduce : normal));
        }
        return _classifier.Forward(Functional.AdaptiveAvgPool2d(s1).Flatten());
    }

    /// <summary>The genotype that α currently derives (darts.md §1.7).</summary>
    public Genotype DeriveGenotype() =>
        GenotypeDerivation.Derive(AlphaNormal.AsReadOnlySpan(), AlphaReduce.AsReadOnlySpan(), Config.Steps);

    private static Parameter NewAlpha(int edges, Generator generator)
    {
        var alpha = new Parameter(edges, DartsOperations.Count);
        var span = alpha.AsSpan();
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = 1e-3f * (float)generator.NextNormal();
        }
        return alpha;
    }
}
