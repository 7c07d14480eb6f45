namespace NasBench.Search.Darts.Network;

/// <summary>Shape of an evaluation network built from a genotype (darts.md §1.8). The reference CIFAR-10 setting is
/// C = 36, 20 cells, stem 3C; the defaults here are a small network for 1×28×28 inputs.</summary>
public sealed record NetworkConfig(
    int InitChannels = 16, int Layers = 8, int Classes = 10, int InputChannels = 1, int InputHeight = 28,
    int InputWidth = 28, bool Auxiliary = false, int StemMultiplier = 3)
{
    public bool IsReduction(int cell) => cell == Layers / 3 || cell == 2 * Layers / 3;

    /// <summary>Index of the cell the auxiliary head follows.</summary>
    public int AuxiliaryCell => 2 * Layers / 3;

    public void Validate()
    {
        if (InitChannels <= 0 || InitChannels % 2 != 0 || Layers < 3 || Classes <= 1 || InputChannels <= 0
            || InputHeight <= 0 || InputWidth <= 0 || StemMultiplier <= 0)
        {
            throw new ArgumentException(
                $"Invalid network configuration {this}: positive sizes, even InitChannels, at least 3 layers and 2 classes.");
        }
    }
}
