namespace NasBench.Kernels.Backends.Cuda;

/// <summary>NVRTC failed; for a compilation error <see cref="Log"/> holds the compiler's program log.</summary>
public sealed class NvrtcException : Exception
{
    public NvrtcException()
    {
    }

    public NvrtcException(string message)
        : base(message)
    {
    }

    public NvrtcException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal NvrtcException(string message, int result, string? log)
        : base(log is null ? message : $"{message}{Environment.NewLine}{log}")
    {
        Result = result;
        Log = log;
    }

    /// <summary>The <c>nvrtcResult</c> code (6 = NVRTC_ERROR_COMPILATION).</summary>
    public int Result { get; }

    /// <summary>The program log (errors and warnings with line numbers), when NVRTC produced one.</summary>
    public string? Log { get; }
}
