using System.Runtime.CompilerServices;

namespace NasBench.Kernels.Cpu.Simd;

/// <summary><see cref="IInputLoad{TV}"/> that reads relu(input): the ReLU is applied in registers as the input is
/// loaded, so relu(input) is never written, kept or read back.</summary>
internal readonly unsafe struct ReluLoad<TV, TOps> : IInputLoad<TV>
    where TV : struct
    where TOps : struct, IFloatOps<TV>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Load(float* source) => TOps.Relu(TOps.Load(source));

    // FloatOpsScalar.Relu, so a scalar tail computes what a vector lane does.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LoadOne(float* source) => FloatOpsScalar.Relu(*source);
}
