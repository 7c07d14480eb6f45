using System.Runtime.CompilerServices;

namespace NasBench.Kernels.Cpu.Simd;

/// <summary><see cref="IFloatOps{TV}"/> with one lane: the fallback where no vector width is accelerated.</summary>
internal readonly unsafe struct FloatOpsScalar : IFloatOps<float>
{
    public static int Count => 1;

    public static float Zero => 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Broadcast(float value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(float* source) => *source;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* destination, float value) => *destination = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreNonTemporal(float* destination, float value) => *destination = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Add(float left, float right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Subtract(float left, float right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Multiply(float left, float right) => left * right;

    // Same single rounding as the vector paths, so the scalar lane computes what one vector lane computes.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAdd(float a, float b, float c) => MathF.FusedMultiplyAdd(a, b, c);

    public static float Indices => 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float KeepWhereGreater(float keys, float threshold, float value) => keys > threshold ? value : 0f;

    // MathF.Max is the IEEE 754 maximum, the same function as the vector lanes' Max.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Relu(float value) => MathF.Max(value, 0f);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(float value) => value;
}
