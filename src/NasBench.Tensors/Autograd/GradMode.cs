namespace NasBench.Tensors.Autograd;

/// <summary>Thread-static switch for recording the autograd tape (<see cref="Tensor.NoGrad"/>).</summary>
internal static class GradMode
{
    [ThreadStatic]
    private static int _disabledDepth;

    public static bool IsEnabled => _disabledDepth == 0;

    public static void Disable() => _disabledDepth++;

    public static void Restore() => _disabledDepth--;
}
