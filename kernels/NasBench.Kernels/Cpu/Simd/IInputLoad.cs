namespace NasBench.Kernels.Cpu.Simd;

/// <summary>How a kernel reads its input: as stored (<see cref="PlainLoad{TV, TOps}"/>) or through ReLU
/// (<see cref="ReluLoad{TV, TOps}"/>, a fused ReLU → convolution).</summary>
/// <remarks>A type argument rather than a <c>bool</c>: each kernel body is compiled once per policy, so the choice
/// costs nothing in the tap loops, where a test per load would sit next to every FMA.</remarks>
/// <typeparam name="TV">The vector type (or <see cref="float"/> for the scalar fallback).</typeparam>
internal unsafe interface IInputLoad<TV>
    where TV : struct
{
    /// <summary>One vector of input.</summary>
    static abstract TV Load(float* source);

    /// <summary>One float of input (a scalar tail): the same function per lane as <see cref="Load"/>.</summary>
    static abstract float LoadOne(float* source);
}
