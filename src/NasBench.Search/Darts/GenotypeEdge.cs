namespace NasBench.Search.Darts;

/// <summary>One kept edge of a discrete cell: operation <see cref="Operation"/> applied to node <see cref="Input"/>.</summary>
/// <remarks>Nodes 0 and 1 are the cell inputs (outputs of cells k−2 and k−1); node i ≥ 2 is intermediate node i−2.</remarks>
public sealed record GenotypeEdge(string Operation, int Input);
