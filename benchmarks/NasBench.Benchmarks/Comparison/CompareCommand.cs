using System.Text.Json;

namespace NasBench.Benchmarks.Comparison;

/// <summary><c>compare &lt;base&gt; &lt;diff&gt; [--threshold 5%] [--noise 0.3ns] [--alpha 0.05] [--output DIR]</c>:
/// the entry point Program dispatches to before BenchmarkDotNet sees the arguments.</summary>
/// <remarks>Exit codes: 0 no regression, 1 bad input, 2 a significant regression beyond the threshold. The Markdown
/// goes to stdout and, with the JSON, to <c>comparison.md</c> / <c>comparison.json</c> in the output folder.</remarks>
public static class CompareCommand
{
    public const int NoRegression = 0;
    public const int Error = 1;
    public const int Regression = 2;

    public const string Usage =
        "usage: compare <base> <diff> [--threshold 5%] [--noise 0.3ns] [--alpha 0.05] [--output DIR]\n" +
        "  base, diff    a BenchmarkDotNet *-report-full.json file, or a folder searched recursively for them\n" +
        "  --threshold   smallest relative change reported as slower/faster (default 5%)\n" +
        "  --noise       absolute floor on the median difference (default 0.3ns; units ns, us, ms, s)\n" +
        "  --alpha       Mann-Whitney U significance level (default 0.05)\n" +
        "  --output      folder for comparison.md and comparison.json (default: current directory)\n" +
        "exit codes: 0 no regression, 1 bad input, 2 significant regression beyond the threshold";

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Any(a => a is "-h" or "--help" or "-?"))
        {
            output.WriteLine(Usage);
            return NoRegression;
        }
        try
        {
            var (basePath, diffPath, settings, outputDir) = ParseArguments(args);
            var warnings = new List<string>();
            var baseline = ReportReader.Read(basePath, warnings);
            var diff = ReportReader.Read(diffPath, warnings);
            foreach (string warning in warnings)
            {
                error.WriteLine($"warning: {warning}");
            }
            var result = BenchmarkComparer.Compare(basePath, baseline, diffPath, diff, settings);
            string markdown = MarkdownReport.Render(result);
            output.Write(markdown);

            Directory.CreateDirectory(outputDir);
            string jsonPath = Path.Combine(outputDir, "comparison.json");
            File.WriteAllText(jsonPath, JsonSerializer.Serialize(result, ComparisonJsonContext.Default.ComparisonResult));
            File.WriteAllText(Path.Combine(outputDir, "comparison.md"), markdown);
            error.WriteLine($"compare: wrote {jsonPath}");
            if (result.HasRegression)
            {
                error.WriteLine("compare: significant regression beyond the threshold (exit code 2).");
                return Regression;
            }
            return NoRegression;
        }
        catch (ComparisonException e)
        {
            error.WriteLine($"compare: {e.Message}");
            return Error;
        }
    }

    private static (string Base, string Diff, ComparisonSettings Settings, string OutputDir) ParseArguments(
        IReadOnlyList<string> args)
    {
        var positional = new List<string>();
        var settings = new ComparisonSettings();
        string outputDir = Environment.CurrentDirectory;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            switch (arg)
            {
                case "--threshold":
                    settings = settings with { Threshold = ComparisonSettings.ParseThreshold(Value(args, ref i)) };
                    break;
                case "--noise":
                    settings = settings with { NoiseNanoseconds = ComparisonSettings.ParseDuration(Value(args, ref i)) };
                    break;
                case "--alpha":
                    settings = settings with { Alpha = ComparisonSettings.ParseAlpha(Value(args, ref i)) };
                    break;
                case "--output":
                    outputDir = Value(args, ref i);
                    break;
                default:
                    if (arg.StartsWith('-'))
                    {
                        throw new ComparisonException($"unknown option '{arg}'.\n{Usage}");
                    }
                    positional.Add(arg);
                    break;
            }
        }
        if (positional.Count != 2)
        {
            throw new ComparisonException(
                $"expected two paths (base and diff), got {positional.Count}.\n{Usage}");
        }
        return (positional[0], positional[1], settings, outputDir);
    }

    private static string Value(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count)
        {
            throw new ComparisonException($"{args[i]} needs a value.\n{Usage}");
        }
        return args[++i];
    }
}
