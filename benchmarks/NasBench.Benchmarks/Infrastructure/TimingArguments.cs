using System.Globalization;

namespace NasBench.Benchmarks.Infrastructure;

/// <summary>Positional arguments of the quick timing verbs (<c>supernet-time</c>, <c>mixedop-time</c>, ...): a bad one
/// is a <see cref="TimingUsageException"/> naming the argument and what it must be, which <c>Program</c> prints with
/// exit code 2, instead of a <see cref="FormatException"/>'s stack trace.</summary>
public static class TimingArguments
{
    /// <summary>args[index] as an integer ≥ <paramref name="min"/>, or <paramref name="fallback"/> when absent (no
    /// fallback: required).</summary>
    public static int Int(string[] args, int index, string name, int? fallback = null, int min = 1)
    {
        if (index >= args.Length)
        {
            return fallback ?? throw new TimingUsageException($"{name} is required.");
        }
        return ParseInt(args[index], name, min);
    }

    /// <summary><paramref name="text"/> as an integer ≥ <paramref name="min"/>.</summary>
    public static int ParseInt(string text, string name, int min = 1)
    {
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)
            || value < min)
        {
            throw new TimingUsageException($"{name} must be an integer ≥ {min}, got '{text}'.");
        }
        return value;
    }
}

/// <summary>A timing verb's arguments are wrong; the message says which and what was expected.</summary>
public sealed class TimingUsageException(string message) : Exception(message);
