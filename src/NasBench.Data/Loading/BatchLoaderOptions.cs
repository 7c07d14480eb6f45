using NasBench.Data.Augmentation;

namespace NasBench.Data.Loading;

/// <summary>How a <see cref="BatchLoader"/> orders, augments and prefetches batches.</summary>
public sealed record BatchLoaderOptions
{
    /// <summary>Images per batch.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Reshuffle the order every epoch (seeded by <see cref="Seed"/> and the epoch number).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Seed of the per-epoch shuffle and augmentation streams.</summary>
    public int Seed { get; init; }

    /// <summary>Drop a last batch smaller than <see cref="BatchSize"/>.</summary>
    public bool DropLast { get; init; }

    /// <summary>Augmentations applied in order to every normalised image.</summary>
    public IReadOnlyList<IAugmentation> Augmentations { get; init; } = [];

    /// <summary>Batches prepared ahead on a background thread: 0 (synchronous), 1 or 2.</summary>
    public int Prefetch { get; init; } = 1;
}
