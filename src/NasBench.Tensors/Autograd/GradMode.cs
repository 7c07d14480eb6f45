namespace NasBench.Tensors.Autograd;

/// <summary>Thread-static switch for recording the autograd tape (<see cref="Tensor.NoGrad"/>).</summary>
internal static class GradMode
{
    [ThreadStatic]
    private static int _disabledDepth;

    public static bool IsEnabled => _disabledDepth == 0;

    public static void Disable() => _disabledDepth++;

    public static void Restore() => _disabledDepth--;

    /// <summary>Turns recording on whatever the enclosing no-grad scopes say, returning their depth for
    /// <see cref="Resume"/>: a checkpoint's backward must record its recomputation even when the caller's backward
    /// runs under <see cref="Tensor.NoGrad"/>.</summary>
    public static int Suspend()
    {
        int depth = _disabledDepth;
        _disabledDepth = 0;
        return depth;
    }

    /// <summary>Puts back the depth <see cref="Suspend"/> returned.</summary>
    public static void Resume(int depth) => _disabledDepth = depth;
}
