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
                failures.Append(failures.Length == 0 ? "" : "; ").Append(candidate).Append(": ").Append(FirstLine(ex.Message));
            }
            catch (BadImageFormatException ex)
            {
                failures.Append(failures.Length == 0 ? "" : "; ").Append(candidate).Append(": ").Append(FirstLine(ex.Message));
            }
        }
        return new NativeLibraryProbe(IntPtr.Zero, null, $"no {what} library could be loaded ({failures})");
    }

    private static string FirstLine(string message)
    {
        int newline = message.IndexOf('\n', StringComparison.Ordinal);
        return (newline < 0 ? message : message[..newline]).Trim();
    }
}
