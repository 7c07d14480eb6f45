using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NasBench.Kernels.Cpu.Simd;

/// <summary><see cref="IFloatOps{TV}"/> over <see cref="Vector256{T}"/>.</summary>
internal readonly unsafe struct FloatOps256 : IFloatOps<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;

    public static Vector256<float> Zero => Vector256<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(float* source) => Vector256.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* destination, Vector256<float> value) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreNonTemporal(float* destination, Vector256<float> value) =>
        value.StoreAlignedNonTemporal(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> left, Vector256<float> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Subtract(Vector256<float> left, Vector256<float> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> left, Vector256<float> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Vector256.FusedMultiplyAdd(a, b, c);

    public static Vector256<float> Indices => Vector256<float>.Indices;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> KeepWhereGreater(Vector256<float> keys, Vector256<float> threshold,
        Vector256<float> value) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(keys, threshold), value, Vector256<float>.Zero);

    // Vector256.Max is the IEEE 754 maximum (not MaxNative), as TensorPrimitives.Max is.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Relu(Vector256<float> value) => Vector256.Max(value, Vector256<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector256<float> value) => Vector256.Sum(value);
}
