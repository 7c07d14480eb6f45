using System.Runtime.InteropServices;
using System.Text;

namespace NasBench.Kernels.Backends.Cuda;

/// <summary>The outcome of loading the first library of an ordered candidate list.</summary>
/// <param name="Handle">Native handle, <see cref="IntPtr.Zero"/> when none loaded.</param>
/// <param name="LoadedName">The candidate that loaded, or null.</param>
/// <param name="FailureReason">Why none loaded (every candidate and its error), or null.</param>
internal sealed record NativeLibraryProbe(IntPtr Handle, string? LoadedName, string? FailureReason)
{
    public bool IsLoaded => Handle != IntPtr.Zero;

    /// <summary>Tries each candidate in order; never throws.</summary>
    public static NativeLibraryProbe Load(string what, IReadOnlyList<string> candidates)
    {
        var failures = new StringBuilder();
        foreach (string candidate in candidates)
        {
            try
            {
                // Load (not TryLoad) so the loader's own message — "cannot open shared object file" versus a missing
                // dependency — reaches the user.
                IntPtr handle = NativeLibrary.Load(candidate);
                return new NativeLibraryProbe(handle, candidate, null);
            }
            catch (DllNotFoundException ex)
            {
                Note(failures, candidate, ex.Message);
            }
            catch (BadImageFormatException ex)
            {
                Note(failures, candidate, ex.Message);
            }
        }
        return new NativeLibraryProbe(IntPtr.Zero, null, $"no {what} library could be loaded ({failures})");
    }

    private static void Note(StringBuilder failures, string candidate, string message)
    {
        string loader = LoaderMessage(message);
        failures.Append(failures.Length == 0 ? "" : "; ");
        // dlerror already starts with the file name; Windows' message does not.
        if (!loader.StartsWith(candidate, StringComparison.Ordinal))
        {
            failures.Append(candidate).Append(": ");
        }
        failures.Append(loader);
    }

    /// <summary>.NET puts generic advice first and the loader's own error (dlerror) on the last line.</summary>
    private static string LoaderMessage(string message)
    {
        string[] lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? message : lines[^1];
    }
}
