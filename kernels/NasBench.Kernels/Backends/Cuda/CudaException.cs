namespace NasBench.Kernels.Backends.Cuda;

/// <summary>A CUDA driver call failed; the message names the call, the code and the driver's explanation.</summary>
public sealed class CudaException : Exception
{
    public CudaException()
    {
    }

    public CudaException(string message)
        : base(message)
    {
    }

    public CudaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal CudaException(string call, CudaResult result)
        : base($"{call} failed: {CudaDriver.Describe(result)}")
    {
        Call = call;
        Result = result;
    }

    /// <summary>The driver entry point that failed.</summary>
    public string? Call { get; }

    public CudaResult Result { get; }

    /// <summary>Errors after which the context is unusable and must be recreated (asynchronous launch faults).
    /// </summary>
    public bool IsSticky => Result is CudaResult.IllegalAddress or CudaResult.LaunchFailed or CudaResult.LaunchTimeout;
}
