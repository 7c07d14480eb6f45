using System.Text;

namespace NasBench.Search.Darts;

/// <summary>A discrete DARTS architecture: two kept edges per intermediate node for the normal and the reduction
/// cell, and the nodes concatenated into each cell's output.</summary>
/// <remarks>
/// Immutable with value equality. Two text forms: canonical JSON (<see cref="GenotypeJson"/>) and the DARTS
/// reference code's namedtuple repr (<see cref="ToString"/>, parsed by <see cref="GenotypeText"/>), e.g.
/// <c>Genotype(normal=[('sep_conv_3x3', 0), ...], normal_concat=[2, 3, 4, 5], reduce=[...], reduce_concat=[2, 3, 4, 5])</c>.
/// </remarks>
public sealed class Genotype : IEquatable<Genotype>
{
    /// <summary>Builds and validates a genotype.</summary>
    /// <exception cref="GenotypeFormatException">An operation is unknown, an edge reads a node that does not exist yet,
    /// a node has other than two edges, or a concat index is out of range.</exception>
    public Genotype(IReadOnlyList<GenotypeEdge> normal, IReadOnlyList<int> normalConcat,
        IReadOnlyList<GenotypeEdge> reduce, IReadOnlyList<int> reduceConcat)
    {
        Normal = [.. normal];
        NormalConcat = [.. normalConcat];
        Reduce = [.. reduce];
        ReduceConcat = [.. reduceConcat];
        Validate("normal", Normal, NormalConcat);
        Validate("reduce", Reduce, ReduceConcat);
    }

    public IReadOnlyList<GenotypeEdge> Normal { get; }
    public IReadOnlyList<int> NormalConcat { get; }
    public IReadOnlyList<GenotypeEdge> Reduce { get; }
    public IReadOnlyList<int> ReduceConcat { get; }

    /// <summary>Intermediate nodes per cell (edges / 2).</summary>
    public int Steps => Normal.Count / 2;

    public bool Equals(Genotype? other) =>
        other is not null
        && Normal.SequenceEqual(other.Normal) && NormalConcat.SequenceEqual(other.NormalConcat)
        && Reduce.SequenceEqual(other.Reduce) && ReduceConcat.SequenceEqual(other.ReduceConcat);

    public override bool Equals(object? obj) => Equals(obj as Genotype);

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);

    /// <summary>The DARTS reference code's text form.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("Genotype(normal=");
        AppendEdges(sb, Normal);
        sb.Append(", normal_concat=").Append('[').Append(string.Join(", ", NormalConcat)).Append(']');
        sb.Append(", reduce=");
        AppendEdges(sb, Reduce);
        sb.Append(", reduce_concat=").Append('[').Append(string.Join(", ", ReduceConcat)).Append("])");
        return sb.ToString();
    }

    private static void AppendEdges(StringBuilder sb, IReadOnlyList<GenotypeEdge> edges)
    {
        sb.Append('[');
        for (int i = 0; i < edges.Count; i++)
        {
            sb.Append(i == 0 ? "" : ", ").Append("('").Append(edges[i].Operation).Append("', ")
                .Append(edges[i].Input).Append(')');
        }
        sb.Append(']');
    }

    private static void Validate(string cell, IReadOnlyList<GenotypeEdge> edges, IReadOnlyList<int> concat)
    {
        if (edges.Count == 0 || edges.Count % 2 != 0)
        {
            throw new GenotypeFormatException(
                $"'{cell}' must list two edges per intermediate node (an even, non-zero count); got {edges.Count}.");
        }
        for (int i = 0; i < edges.Count; i++)
        {
            var edge = edges[i];
            _ = DartsOperations.IndexOfOrThrow(edge.Operation, $"{cell}[{i}]");
            int node = (i / 2) + 2;
            if (edge.Input < 0 || edge.Input >= node)
            {
                throw new GenotypeFormatException(
                    $"{cell}[{i}] feeds node {node} from input {edge.Input}; expected an input in [0, {node - 1}].");
            }
        }
        int steps = edges.Count / 2;
        if (concat.Count == 0 || concat.Distinct().Count() != concat.Count
            || concat.Any(c => c < 2 || c > steps + 1))
        {
            throw new GenotypeFormatException(
                $"{cell}_concat [{string.Join(", ", concat)}] must be distinct node indices in [2, {steps + 1}].");
        }
    }
}
