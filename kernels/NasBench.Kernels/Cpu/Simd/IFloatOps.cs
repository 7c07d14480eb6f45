namespace NasBench.Kernels.Cpu.Simd;

/// <summary>The handful of float-vector operations the fused kernels need, as static members so one generic kernel
/// body specialises (and fully inlines) for <c>Vector512</c>, <c>Vector256</c>, <c>Vector128</c> and a scalar lane.
/// </summary>
/// <typeparam name="TV">The vector type (or <see cref="float"/> for the scalar fallback).</typeparam>
internal unsafe interface IFloatOps<TV>
    where TV : struct
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }

    static abstract TV Zero { get; }

    static abstract TV Broadcast(float value);

    static abstract TV Load(float* source);

    static abstract void Store(float* destination, TV value);

    /// <summary>Streaming store that bypasses the caches; <paramref name="destination"/> must be aligned to the vector
    /// size (the scalar lane stores normally).</summary>
    static abstract void StoreNonTemporal(float* destination, TV value);

    static abstract TV Add(TV left, TV right);

    static abstract TV Subtract(TV left, TV right);

    static abstract TV Multiply(TV left, TV right);

    /// <summary><c>a·b + c</c> with one rounding.</summary>
    static abstract TV MultiplyAdd(TV a, TV b, TV c);

    /// <summary>Lane numbers 0, 1, ..., Count − 1 as floats.</summary>
    static abstract TV Indices { get; }

    /// <summary>Lanes of <paramref name="value"/> whose <paramref name="keys"/> exceed <paramref name="threshold"/>;
    /// zero elsewhere (a select, so a NaN in a dropped lane does not leak).</summary>
    static abstract TV KeepWhereGreater(TV keys, TV threshold, TV value);

    /// <summary><c>max(value, 0)</c> as <see cref="ActivationKernel.Relu"/> computes it (IEEE 754 maximum): −0 becomes
    /// +0 and NaN stays NaN, so a fused ReLU gives the bits a materialised one would.</summary>
    static abstract TV Relu(TV value);

    /// <summary>Sum of the lanes, in the fixed order the vector type defines.</summary>
    static abstract float Sum(TV value);
}
