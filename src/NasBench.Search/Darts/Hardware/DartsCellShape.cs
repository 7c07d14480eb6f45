namespace NasBench.Search.Darts.Hardware;

/// <summary>Where one cell of a DARTS network sits: its channels and spatial sizes, as the network builder computes
/// them.</summary>
/// <param name="Index">Cell index.</param>
/// <param name="Reduction">A reduction cell (edges from the inputs have stride 2).</param>
/// <param name="ReductionPrev">The previous cell reduced, so s0 is pre-processed by FactorizedReduce.</param>
/// <param name="ChannelsPrevPrev">Channels of s0.</param>
/// <param name="ChannelsPrev">Channels of s1.</param>
/// <param name="Channels">C of this cell's nodes.</param>
/// <param name="HeightPrevPrev">Height of s0.</param>
/// <param name="WidthPrevPrev">Width of s0.</param>
/// <param name="Height">Height of s1 (the cell's input size).</param>
/// <param name="Width">Width of s1.</param>
/// <param name="OutHeight">Height of the nodes and output.</param>
/// <param name="OutWidth">Width of the nodes and output.</param>
public sealed record DartsCellShape(int Index, bool Reduction, bool ReductionPrev, int ChannelsPrevPrev,
    int ChannelsPrev, int Channels, int HeightPrevPrev, int WidthPrevPrev, int Height, int Width, int OutHeight,
    int OutWidth);
