using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Search.Darts.Network;

/// <summary>The evaluation network of a genotype (the reference <c>NetworkCIFAR</c>, darts.md §1.8): stem, cells,
/// optional auxiliary head after cell ⌊2L/3⌋, global pooling, classifier.</summary>
public sealed class DartsNetwork : Module<Tensor, Tensor>
{
    private readonly Sequential _stem;
    private readonly ModuleList<DiscreteCell> _cells = new();
    private readonly AuxiliaryHead? _auxiliary;
    private readonly Linear _classifier;
    private Generator _dropPathGenerator;

    public DartsNetwork(Genotype genotype, NetworkConfig config, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(genotype);
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Genotype = genotype;
        Config = config;
        _dropPathGenerator = new Generator(generator.NextUInt64());
        int stem = config.StemMultiplier * config.InitChannels;
        _stem = new Sequential(
            new Conv2d(config.InputChannels, stem, 3, generator, padding: 1, bias: false), new BatchNorm2d(stem));
        RegisterModule("stem", _stem);
        int cPrevPrev = stem, cPrev = stem, c = config.InitChannels, size = config.InputHeight;
        bool reductionPrev = false;
        for (int i = 0; i < config.Layers; i++)
        {
            bool reduction = config.IsReduction(i);
            if (reduction)
            {
                c *= 2;
                size = ((size - 1) / 2) + 1;
            }
            var cell = new DiscreteCell(genotype, cPrevPrev, cPrev, c, reduction, reductionPrev, generator);
            _cells.Add(cell);
            reductionPrev = reduction;
            (cPrevPrev, cPrev) = (cPrev, cell.OutChannels);
            if (config.Auxiliary && i == config.AuxiliaryCell)
            {
                _auxiliary = new AuxiliaryHead(cPrev, size, config.Classes, generator);
            }
        }
        RegisterModule("cells", _cells);
        if (_auxiliary is not null)
        {
            RegisterModule("auxiliary_head", _auxiliary);
        }
        _classifier = new Linear(cPrev, config.Classes, generator);
        RegisterModule("classifier", _classifier);
    }

    public Genotype Genotype { get; }

    public NetworkConfig Config { get; }

    /// <summary>Recompute each cell's operations in backward instead of keeping their intermediates (see
    /// <see cref="DiscreteCell"/>): one extra forward of the cells for less training memory (DARTS_V2, C = 16, 8 cells,
    /// batch 96: peak RSS 1.71 → 1.11 GB, about 15 % more time); the same results.</summary>
    public bool Recompute
    {
        get => _cells.Count > 0 && _cells[0].Recompute;
        set
        {
            foreach (var cell in _cells)
            {
                cell.Recompute = value;
            }
        }
    }

    /// <summary>Drop-path probability applied in training (the reference ramps it linearly over epochs).</summary>
    public float DropPathProbability { get; set; }

    /// <summary>Restarts the drop-path random stream from <paramref name="seed"/>. A trainer reseeds it per step from
    /// (run seed, epoch, step), so a run resumed from a checkpoint draws the same masks as an uninterrupted one.
    /// </summary>
    public void ReseedDropPath(ulong seed) => _dropPathGenerator = new Generator(seed);

    /// <summary>The auxiliary logits of the last training forward pass, or null (evaluation, or no head).</summary>
    public Tensor? AuxiliaryLogits { get; private set; }

    public override Tensor Forward(Tensor input)
    {
        AuxiliaryLogits = null;
        var s0 = _stem.Forward(input);
        var s1 = s0;
        for (int i = 0; i < _cells.Count; i++)
        {
            (s0, s1) = (s1, ForwardCell(_cells[i], s0, s1));
            if (i == Config.AuxiliaryCell && _auxiliary is not null && IsTraining)
            {
                AuxiliaryLogits = _auxiliary.Forward(s1);
            }
        }
        return _classifier.Forward(Functional.AdaptiveAvgPool2d(s1).Flatten());
    }

    /// <summary>Without the tape (evaluation) each cell runs in a scope of its own, so only cell outputs outlive the
    /// cell: a large test batch otherwise holds every state of every cell until the forward returns.</summary>
    private Tensor ForwardCell(DiscreteCell cell, Tensor s0, Tensor s1) =>
        Tensor.IsGradEnabled
            ? cell.Forward(s0, s1, DropPathProbability, _dropPathGenerator)
            : ActivationCheckpoint.Run(xs => cell.Forward(xs[0], xs[1], DropPathProbability, _dropPathGenerator), s0,
                s1);

    /// <summary>Parameters excluding the auxiliary head unless asked (the reference's counting convention).</summary>
    public long CountParameters(bool includeAuxiliary = false) =>
        NamedParameters().Where(p => includeAuxiliary || !p.Name.StartsWith("auxiliary", StringComparison.Ordinal))
            .Sum(p => (long)p.Parameter.Numel);
}
