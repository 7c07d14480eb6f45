using NasBench.Benchmarks.Infrastructure;

namespace NasBench.Benchmarks.Kernels;

/// <summary>The command line of <c>cuda-time REPS [KERNELS] [--json FILE] [--markdown FILE]</c>, kept apart from the
/// verb so that parsing is tested on machines without a GPU.</summary>
/// <param name="Reps">Timed repetitions per shape (GPU batches; CPU calls, fewer where the CPU is slow).</param>
/// <param name="Kernels">Kernels to time, in <see cref="KernelNames"/> order, each once.</param>
/// <param name="JsonPath">Where to write the rows as JSON, or null.</param>
/// <param name="MarkdownPath">Where to write the rows as a Markdown table, or null.</param>
public sealed record CudaTimingArguments(int Reps, IReadOnlyList<string> Kernels, string? JsonPath,
    string? MarkdownPath)
{
    public const string Usage = "cuda-time REPS [KERNELS] [--json FILE] [--markdown FILE]";

    /// <summary>Every kernel the verb knows, in the order it times them (the default is all).</summary>
    public static IReadOnlyList<string> KernelNames { get; } = ["sgemm", "mixedop", "nmo", "dw", "rq", "lookup", "relu"];

    /// <exception cref="TimingUsageException">An argument is missing, malformed or unknown; the message names it and
    /// what was expected.</exception>
    public static CudaTimingArguments Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            throw new TimingUsageException($"REPS is required. Usage: {Usage}");
        }
        int reps = TimingArguments.ParseInt(args[0], "REPS");
        string? kernels = null, json = null, markdown = null;
        for (int i = 1; i < args.Count; i++)
        {
            string arg = args[i];
            switch (arg)
            {
                case "--json":
                    json = Value(args, ref i, json);
                    break;
                case "--markdown":
                    markdown = Value(args, ref i, markdown);
                    break;
                default:
                    if (arg.StartsWith("--", StringComparison.Ordinal))
                    {
                        throw new TimingUsageException(
                            $"unknown option '{arg}'; expected --json FILE or --markdown FILE. Usage: {Usage}");
                    }
                    if (kernels is not null)
                    {
                        throw new TimingUsageException(
                            $"KERNELS given twice ('{kernels}', then '{arg}'); join them with commas. Usage: {Usage}");
                    }
                    kernels = arg;
                    break;
            }
        }
        return new CudaTimingArguments(reps, ParseKernels(kernels), json, markdown);
    }

    private static string Value(IReadOnlyList<string> args, ref int i, string? previous)
    {
        string option = args[i];
        if (previous is not null)
        {
            throw new TimingUsageException($"{option} given twice. Usage: {Usage}");
        }
        if (i + 1 >= args.Count || args[i + 1].Length == 0 || args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new TimingUsageException($"{option} needs a FILE after it. Usage: {Usage}");
        }
        i++;
        return args[i];
    }

    private static string[] ParseKernels(string? list)
    {
        if (list is null)
        {
            return [.. KernelNames];
        }
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (string name in list.Split(','))
        {
            if (!KernelNames.Contains(name, StringComparer.Ordinal))
            {
                throw new TimingUsageException(
                    $"unknown kernel '{name}' in KERNELS '{list}'; expected a comma list of "
                    + $"{string.Join(",", KernelNames)}.");
            }
            wanted.Add(name);
        }
        // Canonical order, so that two runs' tables line up whatever order the names were typed in.
        return [.. KernelNames.Where(wanted.Contains)];
    }
}
