using NasBench.Hardware;
using NasBench.Search.Darts.Network;
using NasBench.Search.Darts.Supernet;

namespace NasBench.Search.Darts.Hardware;

/// <summary>Every <see cref="OperationConfig"/> a DARTS network of a given shape uses: per cell, the op on each of
/// the 14 possible edges at its C, H, W and stride; pre-processing; node sums; concat; stem; classifier.</summary>
/// <remarks>Sizes follow <see cref="DartsNetwork"/> exactly (stem 3C, C doubles and H, W halve at cells ⌊L/3⌋ and
/// ⌊2L/3⌋). The batch is the one latencies refer to.</remarks>
public sealed class DartsNetworkLayout
{
    /// <summary>Edges per cell for 4 intermediate nodes: 2 + 3 + 4 + 5.</summary>
    public const int EdgesPerCell = 14;

    private readonly List<DartsCellShape> _cells = [];

    public DartsNetworkLayout(NetworkConfig config, int batch)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        Config = config;
        Batch = batch;
        int stem = config.StemMultiplier * config.InitChannels;
        int cPrevPrev = stem, cPrev = stem, c = config.InitChannels;
        int hPrevPrev = config.InputHeight, wPrevPrev = config.InputWidth, h = config.InputHeight, w = config.InputWidth;
        bool reductionPrev = false;
        for (int i = 0; i < config.Layers; i++)
        {
            bool reduction = config.IsReduction(i);
            int outH = h, outW = w;
            if (reduction)
            {
                c *= 2;
                outH = ((h - 1) / 2) + 1;
                outW = ((w - 1) / 2) + 1;
            }
            _cells.Add(new DartsCellShape(i, reduction, reductionPrev, cPrevPrev, cPrev, c, hPrevPrev, wPrevPrev, h, w,
                outH, outW));
            reductionPrev = reduction;
            (cPrevPrev, cPrev) = (cPrev, 4 * c);
            (hPrevPrev, wPrevPrev, h, w) = (h, w, outH, outW);
        }
        FinalChannels = cPrev;
        FinalHeight = h;
        FinalWidth = w;
    }

    /// <summary>The layout of the supernet of the same shape (same cells, same sizes).</summary>
    public static DartsNetworkLayout ForSupernet(SupernetConfig config, int batch)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new DartsNetworkLayout(new NetworkConfig(config.InitChannels, config.Layers, config.Classes,
            config.InputChannels, config.InputHeight, config.InputWidth, StemMultiplier: config.StemMultiplier), batch);
    }

    public NetworkConfig Config { get; }

    public int Batch { get; }

    public IReadOnlyList<DartsCellShape> Cells => _cells;

    public int FinalChannels { get; }

    public int FinalHeight { get; }

    public int FinalWidth { get; }

    /// <summary>Position of edge (input <paramref name="input"/> → intermediate node <paramref name="node"/>, node 0
    /// = state 2) in the 14-edge order of α: offset(node) + input.</summary>
    public static int EdgeIndex(int node, int input) => (node * (node + 3) / 2) + input;

    /// <summary>The intermediate node (0..3) and the input state of edge <paramref name="edge"/>.</summary>
    public static (int Node, int Input) EdgeEndpoints(int edge)
    {
        for (int node = 0; ; node++)
        {
            int count = node + 2;
            if (edge < count)
            {
                return (node, edge);
            }
            edge -= count;
        }
    }

    /// <summary>Kernel and dilation of a candidate operation (pools 3/1, skip 1/1, sep k/1, dil k/2).</summary>
    public static (int Kernel, int Dilation) KernelOf(string operation) => operation switch
    {
        DartsOperations.MaxPool3x3 or DartsOperations.AvgPool3x3 => (3, 1),
        DartsOperations.SepConv3x3 => (3, 1),
        DartsOperations.SepConv5x5 => (5, 1),
        DartsOperations.DilConv3x3 => (3, 2),
        DartsOperations.DilConv5x5 => (5, 2),
        _ => (1, 1),
    };

    /// <summary>The configuration of candidate <paramref name="operation"/> on edge <paramref name="edge"/> of
    /// <paramref name="cell"/>.</summary>
    public OperationConfig EdgeOperation(DartsCellShape cell, int edge, string operation)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var (_, input) = EdgeEndpoints(edge);
        bool strided = cell.Reduction && input < 2;
        var (kernel, dilation) = KernelOf(operation);
        return strided
            ? new OperationConfig(operation, cell.Channels, cell.Channels, cell.Height, cell.Width, 2, kernel, dilation,
                Batch)
            : new OperationConfig(operation, cell.Channels, cell.Channels, cell.OutHeight, cell.OutWidth, 1, kernel,
                dilation, Batch);
    }

    /// <summary>The parts of a discrete network that do not depend on the genotype: stem, per cell the two
    /// pre-processing blocks, four node sums and the concat, and the classifier.</summary>
    public IReadOnlyList<OperationConfig> FixedOperations()
    {
        var list = new List<OperationConfig>
        {
            new(DartsFixedOperations.Stem, Config.InputChannels, Config.StemMultiplier * Config.InitChannels,
                Config.InputHeight, Config.InputWidth, 1, 3, 1, Batch),
        };
        foreach (var cell in _cells)
        {
            list.Add(cell.ReductionPrev
                ? new OperationConfig(DartsFixedOperations.FactorizedReduce, cell.ChannelsPrevPrev, cell.Channels,
                    cell.HeightPrevPrev, cell.WidthPrevPrev, 2, 1, 1, Batch)
                : new OperationConfig(DartsFixedOperations.Preprocess, cell.ChannelsPrevPrev, cell.Channels,
                    cell.HeightPrevPrev, cell.WidthPrevPrev, 1, 1, 1, Batch));
            list.Add(new OperationConfig(DartsFixedOperations.Preprocess, cell.ChannelsPrev, cell.Channels, cell.Height,
                cell.Width, 1, 1, 1, Batch));
            var add = new OperationConfig(DartsFixedOperations.NodeAdd, cell.Channels, cell.Channels, cell.OutHeight,
                cell.OutWidth, 1, 1, 1, Batch);
            list.AddRange(Enumerable.Repeat(add, 4));
            list.Add(new OperationConfig(DartsFixedOperations.CellConcat, cell.Channels, 4 * cell.Channels,
                cell.OutHeight, cell.OutWidth, 1, 1, 1, Batch));
        }
        list.Add(new OperationConfig(DartsFixedOperations.Classifier, FinalChannels, Config.Classes, FinalHeight,
            FinalWidth, 1, 1, 1, Batch));
        return list;
    }

    /// <summary>Every operation of the evaluation network of <paramref name="genotype"/>, with repetition (a lookup
    /// sum over this list is the table estimate of the whole network).</summary>
    /// <exception cref="ArgumentException">The genotype has other than 4 intermediate nodes.</exception>
    public IReadOnlyList<OperationConfig> GenotypeOperations(Genotype genotype)
    {
        ArgumentNullException.ThrowIfNull(genotype);
        if (genotype.Steps != 4)
        {
            throw new ArgumentException($"The DARTS layout has 4 intermediate nodes; the genotype has {genotype.Steps}.",
                nameof(genotype));
        }
        var list = new List<OperationConfig>(FixedOperations());
        foreach (var cell in _cells)
        {
            var edges = cell.Reduction ? genotype.Reduce : genotype.Normal;
            for (int k = 0; k < edges.Count; k++)
            {
                list.Add(EdgeOperation(cell, EdgeIndex(k / 2, edges[k].Input), edges[k].Operation));
            }
        }
        return list;
    }

    /// <summary>Every distinct configuration any genotype of this shape can use: the 8 candidates on all 14 edges of
    /// every cell, plus the fixed parts. Profiling these covers the whole space.</summary>
    public IReadOnlyList<OperationConfig> SpaceOperations()
    {
        var list = new List<OperationConfig>(FixedOperations());
        foreach (var cell in _cells)
        {
            for (int e = 0; e < EdgesPerCell; e++)
            {
                foreach (string op in DartsOperations.All)
                {
                    list.Add(EdgeOperation(cell, e, op));
                }
            }
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return [.. list.Where(o => seen.Add(o.Key))];
    }
}
