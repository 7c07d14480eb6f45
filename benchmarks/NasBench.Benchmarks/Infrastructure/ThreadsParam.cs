using System.Globalization;

namespace NasBench.Benchmarks.Infrastructure;

/// <summary>Thread counts every kernel benchmark runs at (this project's reference machine has 2 cores).</summary>
/// <remarks>Overridable from the command line with <c>--threads 1,4,8</c> (see <see cref="ApplyArgument"/>): the
/// host process evaluates <c>[ParamsSource]</c> when it builds the benchmark cases, so setting it before
/// <c>BenchmarkSwitcher.Run</c> is enough.</remarks>
public static class ThreadsParam
{
    private static readonly int[] Default = [1, 2];
    private static int[]? _override;

    public static IEnumerable<int> Values => _override ?? Default;

    /// <summary>Removes <c>--threads N[,M...]</c> from <paramref name="args"/> (BenchmarkDotNet would reject it) and
    /// applies it to <see cref="Values"/>.</summary>
    /// <exception cref="ArgumentException">The value is missing or not a list of positive integers.</exception>
    public static string[] ApplyArgument(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        int index = Array.IndexOf(args, "--threads");
        if (index < 0)
        {
            return args;
        }
        if (index + 1 >= args.Length)
        {
            throw new ArgumentException("--threads needs a value such as 1 or 1,2.");
        }
        var counts = new List<int>();
        foreach (string part in args[index + 1].Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count < 1)
            {
                throw new ArgumentException($"--threads: expected positive integers such as 1,2, got '{args[index + 1]}'.");
            }
            counts.Add(count);
        }
        _override = [.. counts.Distinct()];
        return [.. args[..index], .. args[(index + 2)..]];
    }
}
