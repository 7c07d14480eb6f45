namespace NasBench.Search.Darts.Hardware;

/// <summary>Names of the network parts outside the eight candidate operations, as they appear in latency tables and
/// operation lists. Together with the candidates they cover every layer of a DARTS evaluation network, so a lookup sum
/// accounts for all of its work.</summary>
public static class DartsFixedOperations
{
    /// <summary>Stem: Conv 3×3 (pad 1, no bias) + BN, InChannels → OutChannels.</summary>
    public const string Stem = "stem_conv_bn";

    /// <summary>Cell pre-processing ReLU–Conv1×1–BN, InChannels → OutChannels.</summary>
    public const string Preprocess = "relu_conv_bn_1x1";

    /// <summary>Pre-processing of s0 after a reduction cell: FactorizedReduce, stride 2.</summary>
    public const string FactorizedReduce = "factorized_reduce";

    /// <summary>Sum of a node's two inputs (C channels, H×W).</summary>
    public const string NodeAdd = "node_add";

    /// <summary>Channel concat of the cell's four nodes: InChannels = C per node, OutChannels = 4C.</summary>
    public const string CellConcat = "cell_concat";

    /// <summary>Global average pool + Linear, InChannels → OutChannels (classes), at the last map's H×W.</summary>
    public const string Classifier = "classifier";

    public static IReadOnlyList<string> All { get; } =
        [Stem, Preprocess, FactorizedReduce, NodeAdd, CellConcat, Classifier];
}
