namespace NasBench.Cli.Info;

/// <summary>One hardware target latency can be measured on (see <c>nasbench latency</c>).</summary>
/// <param name="Name">"cpu" or "cpu-1t", or an imported table.</param>
/// <param name="Available">Whether it can measure on this machine now.</param>
/// <param name="Description">What it is and its availability, one line.</param>
internal sealed record TargetInfo(string Name, bool Available, string Description);
