namespace NasBench.Cli;

internal static class Program
{
    private static Task<int> Main(string[] args) => NasBenchCommand.Create().Parse(args).InvokeAsync();
}
