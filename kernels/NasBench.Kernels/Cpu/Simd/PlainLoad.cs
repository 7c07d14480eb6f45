using System.Runtime.CompilerServices;

namespace NasBench.Kernels.Cpu.Simd;

/// <summary><see cref="IInputLoad{TV}"/> that reads the input as stored.</summary>
internal readonly unsafe struct PlainLoad<TV, TOps> : IInputLoad<TV>
    where TV : struct
    where TOps : struct, IFloatOps<TV>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Load(float* source) => TOps.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LoadOne(float* source) => *source;
}
