namespace NasBench.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        Console.Error.WriteLine("nasbench: the command line is being assembled; no verbs yet.");
        return args.Length == 0 ? 0 : 1;
    }
}
