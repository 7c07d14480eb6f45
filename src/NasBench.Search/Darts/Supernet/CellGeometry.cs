namespace NasBench.Search.Darts.Supernet;

/// <summary>Where a cell sits in a DARTS network: its channel count C, the resolution of its inputs, and its type.
/// </summary>
/// <param name="InputHeight">Height of the (pre-processed) cell inputs; a reduction cell's nodes run at half of it.</param>
public sealed record CellGeometry(int Index, int Channels, int InputHeight, int InputWidth, bool Reduction)
{
    /// <summary>Stride of edge (source → node): 2 for edges leaving an input of a reduction cell.</summary>
    public int Stride(int source) => Reduction && source < 2 ? 2 : 1;

    /// <summary>Input height of the edge that reads <paramref name="source"/>.</summary>
    public int EdgeHeight(int source) => Reduction && source >= 2 ? Half(InputHeight) : InputHeight;

    public int EdgeWidth(int source) => Reduction && source >= 2 ? Half(InputWidth) : InputWidth;

    /// <summary>Lays out every cell of a network with <paramref name="layers"/> cells (reductions at ⌊L/3⌋ and ⌊2L/3⌋,
    /// channels doubling there) over an input of the given size.</summary>
    public static IReadOnlyList<CellGeometry> Layout(int initChannels, int layers, int height, int width)
    {
        var cells = new List<CellGeometry>(layers);
        int c = initChannels, h = height, w = width;
        for (int i = 0; i < layers; i++)
        {
            bool reduction = i == layers / 3 || i == 2 * layers / 3;
            if (reduction)
            {
                c *= 2;
            }
            cells.Add(new CellGeometry(i, c, h, w, reduction));
            if (reduction)
            {
                (h, w) = (Half(h), Half(w));
            }
        }
        return cells;
    }

    private static int Half(int size) => ((size - 1) / 2) + 1;
}
