using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NasBench.Kernels.Cpu.Simd;

/// <summary><see cref="IFloatOps{TV}"/> over <see cref="Vector512{T}"/>.</summary>
internal readonly unsafe struct FloatOps512 : IFloatOps<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;

    public static Vector512<float> Zero => Vector512<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(float* source) => Vector512.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* destination, Vector512<float> value) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreNonTemporal(float* destination, Vector512<float> value) =>
        value.StoreAlignedNonTemporal(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> left, Vector512<float> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Subtract(Vector512<float> left, Vector512<float> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> left, Vector512<float> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) =>
        Vector512.FusedMultiplyAdd(a, b, c);

    public static Vector512<float> Indices => Vector512<float>.Indices;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> KeepWhereGreater(Vector512<float> keys, Vector512<float> threshold,
        Vector512<float> value) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(keys, threshold), value, Vector512<float>.Zero);

    // Vector512.Max is the IEEE 754 maximum (not MaxNative), as TensorPrimitives.Max is.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Relu(Vector512<float> value) => Vector512.Max(value, Vector512<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector512<float> value) => Vector512.Sum(value);
}
