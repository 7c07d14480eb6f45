namespace NasBench.Search.Splitting.Networks;

/// <summary>One unit of a growable network, as stored in a run's <c>arch.json</c>.</summary>
/// <param name="Kind">One of <c>conv</c>, <c>dw</c>, <c>maxpool</c>, <c>gap</c>, <c>linear</c>, <c>classifier</c>
/// (see <see cref="UnitKinds"/>).</param>
/// <param name="Width">Output channels / units for <c>conv</c>, <c>linear</c> and <c>classifier</c>; ignored (0) for
/// the others, which keep their input width.</param>
/// <param name="Kernel">Kernel size of <c>conv</c> (1 or 3); 3 for <c>dw</c>; 0 otherwise.</param>
/// <param name="Stride">Stride of <c>conv</c> and <c>dw</c>; 1 otherwise.</param>
public sealed record UnitSpec(string Kind, int Width = 0, int Kernel = 0, int Stride = 1);
