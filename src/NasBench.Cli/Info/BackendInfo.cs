namespace NasBench.Cli.Info;

/// <summary>One compute backend and whether this machine can run it.</summary>
/// <param name="Name">"cpu" or "cuda".</param>
/// <param name="Available">Whether kernels can run on it now.</param>
/// <param name="Status">One line for a person: what was found, or why it is unavailable.</param>
internal sealed record BackendInfo(string Name, bool Available, string Status);
