namespace NasBench.Cli.Console;

/// <summary>What a long-running verb (search, train) reports to, one call per finished step or epoch.</summary>
internal interface IStepProgress
{
    /// <summary>Marks one more step done; <paramref name="detail"/> (e.g. "loss 0.41, acc 86.2%") is shown beside it
    /// and is escaped, never parsed as markup.</summary>
    void Advance(string? detail = null);
}
