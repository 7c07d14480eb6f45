using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace NasBench.Cli.Info;

/// <summary>The vector widths the JIT accelerates in this process and the instruction-set extensions it may use.
/// </summary>
/// <remarks>These are the runtime's answers, not the CPU's flags: <c>DOTNET_EnableAVX512F=0</c> or a hypervisor that
/// hides AVX-512 changes them, and that is exactly what the kernels will run with.</remarks>
/// <param name="WidthBits">The widest accelerated vector (512, 256, 128), or 0 when only scalar code runs.</param>
/// <param name="Vector512">Whether Vector512 operations are hardware accelerated.</param>
/// <param name="Vector256">Whether Vector256 operations are hardware accelerated.</param>
/// <param name="Vector128">Whether Vector128 operations are hardware accelerated.</param>
/// <param name="Extensions">Names of supported extensions (AVX2, FMA, AVX-512 subsets, AdvSimd), in a fixed order.
/// </param>
internal sealed record SimdSupport(
    int WidthBits,
    bool Vector512,
    bool Vector256,
    bool Vector128,
    IReadOnlyList<string> Extensions)
{
    public static SimdSupport Detect()
    {
        bool v512 = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated;
        bool v256 = System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated;
        bool v128 = System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated;
        int width = v512 ? 512 : v256 ? 256 : v128 ? 128 : 0;
        var extensions = new List<string>();
        // (name, supported) in the order the ISA grew, so the list reads from oldest to newest.
        (string Name, bool Supported)[] candidates =
        [
            ("SSE4.2", Sse42.IsSupported),
            ("AVX", Avx.IsSupported),
            ("AVX2", Avx2.IsSupported),
            ("FMA", Fma.IsSupported),
            ("AVX-512F", Avx512F.IsSupported),
            ("AVX-512VL", Avx512F.VL.IsSupported),
            ("AVX-512BW", Avx512BW.IsSupported),
            ("AVX-512CD", Avx512CD.IsSupported),
            ("AVX-512DQ", Avx512DQ.IsSupported),
            ("AVX-512VBMI", Avx512Vbmi.IsSupported),
            ("AVX-512VBMI2", Avx512Vbmi2.IsSupported),
            ("AVX10.1", Avx10v1.IsSupported),
            ("AVX-VNNI", AvxVnni.IsSupported),
            ("AdvSimd", AdvSimd.IsSupported),
        ];
        foreach (var (name, supported) in candidates)
        {
            if (supported)
            {
                extensions.Add(name);
            }
        }
        return new SimdSupport(width, v512, v256, v128, extensions);
    }

    /// <summary>"Vector512", "Vector256", "Vector128" or "scalar": the name a reader of the kernels recognises.</summary>
    public string WidthName => WidthBits == 0 ? "scalar" : $"Vector{WidthBits}";
}
