namespace NasBench.Search.Experiments;

/// <summary>Where a run stands when a checkpoint is written, beside the model and optimizer tensors.</summary>
/// <param name="Epoch">Epochs completed (0-based index of the epoch in progress).</param>
/// <param name="Step">Steps completed within epoch <paramref name="Epoch"/> (0 at an epoch boundary). With the
/// loader's per-(seed, epoch) order this is the data-loader position.</param>
/// <param name="Values">Any further state of the run (running sums, schedule position, serialised history) as
/// strings; numbers should be written with round-trip precision so a resumed run is bit-identical.</param>
public sealed record CheckpointState(int Epoch, int Step, IReadOnlyDictionary<string, string> Values);
