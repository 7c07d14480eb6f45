using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NasBench.Kernels.Cpu.Simd;

/// <summary><see cref="IFloatOps{TV}"/> over <see cref="Vector128{T}"/>.</summary>
internal readonly unsafe struct FloatOps128 : IFloatOps<Vector128<float>>
{
    public static int Count => Vector128<float>.Count;

    public static Vector128<float> Zero => Vector128<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Broadcast(float value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(float* source) => Vector128.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* destination, Vector128<float> value) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreNonTemporal(float* destination, Vector128<float> value) =>
        value.StoreAlignedNonTemporal(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> left, Vector128<float> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Subtract(Vector128<float> left, Vector128<float> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Multiply(Vector128<float> left, Vector128<float> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) =>
        Vector128.FusedMultiplyAdd(a, b, c);

    public static Vector128<float> Indices => Vector128<float>.Indices;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> KeepWhereGreater(Vector128<float> keys, Vector128<float> threshold,
        Vector128<float> value) =>
        Vector128.ConditionalSelect(Vector128.GreaterThan(keys, threshold), value, Vector128<float>.Zero);

    // Vector128.Max is the IEEE 754 maximum (not MaxNative), as TensorPrimitives.Max is.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Relu(Vector128<float> value) => Vector128.Max(value, Vector128<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector128<float> value) => Vector128.Sum(value);
}
