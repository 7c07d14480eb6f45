using System.Text;
using System.Text.RegularExpressions;
using NasBench.Kernels.Backends.Cuda;

namespace NasBench.Kernels.Tests.Backends;

/// <summary>Every embedded CUDA C file compiles with NVRTC and exports its <c>extern "C"</c> kernels unmangled.
/// Needs only libnvrtc (no GPU): CI installs it with <c>.ci/install-nvrtc.sh</c>.</summary>
public sealed partial class NvrtcCompileTests
{
    /// <summary>The kernels the C# wrappers look up by name, per file: a rename in a .cu must fail here.</summary>
    private static readonly Dictionary<string, string[]> KernelsUsedByWrappers = new()
    {
        ["Activation.cu"] = ["relu_forward", "relu_backward"],
        ["DepthwiseConv2d.cu"] = ["depthwise_conv2d_forward"],
        ["LatencyLookup.cu"] = ["latency_expected_cost", "latency_batch_lookup"],
        ["MixedOp.cu"] = ["mixed_op_forward", "mixed_op_backward", "mixed_op_reduce"],
        ["NormalizedMixedOp.cu"] = ["nmo_batch_stats", "nmo_stats_finalize", "nmo_forward", "nmo_backward_sums",
            "nmo_backward_finalize", "nmo_backward_dx"],
        ["RayleighQuotient.cu"] = ["rq_products", "rq_quotient_from_products", "rq_step_from_products"],
        ["Sgemm.cu"] = ["sgemm_tiled"],
    };

    /// <summary>The oldest architecture that both this NVRTC and our kernels support. Volta (70) is our floor (masked
    /// warp shuffles, double atomics); CUDA 13's NVRTC starts at Turing (75), as the H200 session of 2026-11-27 found.
    /// </summary>
    private static int OldestArchitecture => Nvrtc.SupportedArchitectures.Where(a => a >= 70).DefaultIfEmpty(70).Min();

    public static TheoryData<string, int> SourcesAndArchitectures()
    {
        var data = new TheoryData<string, int>();
        foreach (string file in CudaSources.FileNames)
        {
            data.Add(file, OldestArchitecture);
            data.Add(file, 90);
        }
        return data;
    }

    [Fact]
    public void Every_kernel_source_is_embedded()
    {
        Assert.Equal(KernelsUsedByWrappers.Keys.Order(StringComparer.Ordinal), CudaSources.FileNames);
        foreach (string file in CudaSources.FileNames)
        {
            Assert.Contains("extern \"C\" __global__", CudaSources.Read(file), StringComparison.Ordinal);
        }
    }

    [NvrtcTheory]
    [MemberData(nameof(SourcesAndArchitectures))]
    public void Source_compiles_to_ptx_with_every_kernel_entry(string file, int computeCapability)
    {
        string source = CudaSources.Read(file);
        byte[] ptx = Nvrtc.CompileToPtx(source, file, computeCapability);
        string text = Encoding.UTF8.GetString(ptx).TrimEnd('\0');

        Assert.Contains($".target sm_{computeCapability}", text, StringComparison.Ordinal);
        string[] declared = KernelDeclaration().Matches(source).Select(m => m.Groups[1].Value).ToArray();
        Assert.NotEmpty(declared);
        Assert.Subset(declared.ToHashSet(), KernelsUsedByWrappers[file].ToHashSet());
        foreach (string kernel in declared)
        {
            // extern "C" keeps the symbol unmangled, which is what cuModuleGetFunction looks up.
            Assert.Matches($@"\.entry\s+{Regex.Escape(kernel)}\s*\(", text);
        }
    }

    public static TheoryData<string> Sources() => new(CudaSources.FileNames);

    /// <summary>CUBIN runs ptxas too, so register and shared-memory limits of a real sm_90 (H100/H200) are checked.
    /// </summary>
    [NvrtcTheory]
    [MemberData(nameof(Sources))]
    public void Source_compiles_to_a_cubin_for_sm_90(string file)
    {
        byte[] cubin = Nvrtc.CompileToCubin(CudaSources.Read(file), file, 90);
        Assert.True(cubin.Length > 4 && cubin[0] == 0x7F && cubin[1] == (byte)'E' && cubin[2] == (byte)'L'
            && cubin[3] == (byte)'F', "a CUBIN is an ELF image");
    }

    [NvrtcFact]
    public void A_compile_error_raises_with_the_program_log()
    {
        const string broken = "extern \"C\" __global__ void broken(float* x) { x[0] = undeclared_name; }";
        var ex = Assert.Throws<NvrtcException>(() => Nvrtc.CompileToPtx(broken, "broken.cu", 90));
        Assert.Equal(Nvrtc.ErrorCompilation, ex.Result);
        Assert.NotNull(ex.Log);
        Assert.Contains("undeclared_name", ex.Log, StringComparison.Ordinal);
        Assert.Contains("broken.cu", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nvrtc_reports_availability_without_throwing()
    {
        if (Nvrtc.IsAvailable)
        {
            Assert.Null(Nvrtc.UnavailableReason);
            Assert.NotNull(Nvrtc.LibraryName);
            Assert.True(Nvrtc.Version!.Major >= 11, $"NVRTC {Nvrtc.Version}");
            // The tests compile for the oldest (Volta or Turing) and for sm_90 (H100/H200).
            Assert.InRange(OldestArchitecture, 70, 75);
            Assert.Contains(OldestArchitecture, Nvrtc.SupportedArchitectures);
            Assert.Contains(90, Nvrtc.SupportedArchitectures);
        }
        else
        {
            Assert.Contains("libnvrtc", Nvrtc.UnavailableReason, StringComparison.Ordinal);
            Assert.Throws<InvalidOperationException>(() => Nvrtc.CompileToPtx("", "empty.cu", 70));
        }
    }

    [GeneratedRegex(@"extern\s+""C""\s+__global__\s+void\s+(?:__launch_bounds__\([^)]*\)\s+)?(\w+)")]
    private static partial Regex KernelDeclaration();
}
