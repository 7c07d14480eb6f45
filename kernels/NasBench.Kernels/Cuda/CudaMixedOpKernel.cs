using System.Runtime.InteropServices;
using NasBench.Kernels.Backends.Cuda;

namespace NasBench.Kernels.Cuda;

/// <summary>DARTS mixed-op weighted sum on a CUDA device (<c>MixedOp.cu</c>); the GPU twin of the CPU
/// <c>MixedOpKernel</c>.</summary>
/// <remarks>
/// Forward: <c>y[i] = Σ_k w[k]·x_k[i]</c> for i &lt; output.Length. Backward: <c>dx_k (= or +=) w[k]·dy</c> for each
/// k whose gradient buffer is not null, and <c>dWeights[k] = ⟨x_k, dy⟩</c> (overwritten) for i &lt; dy.Length.
/// Input buffers may be longer than the output (pooled). At most <see cref="MaxOps"/> candidate ops; their pointers
/// and weights travel by value in the launch parameters. The weights are host values: they are a handful of
/// architecture parameters that the search updates on the host anyway.
/// </remarks>
public sealed unsafe class CudaMixedOpKernel : IDisposable
{
    /// <summary>Most candidate ops per mixed op (MIXED_OP_MAX_K in the .cu; DARTS uses 8).</summary>
    public const int MaxOps = 16;

    private const int BlockSize = 256;
    private readonly CudaDevice _device;
    private readonly CudaKernel _forward;
    private readonly CudaKernel _backward;
    private readonly CudaKernel _reduce;
    private CudaBuffer<float>? _partials;

    public CudaMixedOpKernel(CudaDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        _device = device;
        CudaModule module = device.GetEmbeddedModule("MixedOp.cu");
        _forward = module.GetKernel("mixed_op_forward");
        _backward = module.GetKernel("mixed_op_backward");
        _reduce = module.GetKernel("mixed_op_reduce");
    }

    public void Forward(ReadOnlySpan<float> weights, IReadOnlyList<CudaBuffer<float>> inputs, CudaBuffer<float> output)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(output);
        int k = CheckOps(weights, inputs.Count);
        int n = output.Length;
        MixedOpArgs args = Pack(weights, inputs, n);
        if (n == 0)
        {
            return;
        }
        _forward.Launch(CudaLaunch.Linear(n, BlockSize, MaxBlocks()), args, k, output.DevicePointer, (long)n);
    }

    public void Backward(ReadOnlySpan<float> weights, IReadOnlyList<CudaBuffer<float>> inputs, CudaBuffer<float> dy,
        IReadOnlyList<CudaBuffer<float>?> dInputs, CudaBuffer<float> dWeights, bool accumulate)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(dy);
        ArgumentNullException.ThrowIfNull(dInputs);
        int k = CheckOps(weights, inputs.Count);
        if (dInputs.Count != k)
        {
            throw new ArgumentException($"dInputs has {dInputs.Count} entries for {k} inputs.", nameof(dInputs));
        }
        CudaChecks.Length(dWeights, k, nameof(dWeights));
        int n = dy.Length;
        MixedOpArgs args = Pack(weights, inputs, n);
        MixedOpGradients grads = default;
        for (int j = 0; j < k; j++)
        {
            CudaBuffer<float>? dx = dInputs[j];
            if (dx is not null)
            {
                CudaChecks.Length(dx, n, $"dInputs[{j}]");
                CudaChecks.SameDevice(_device, dx, $"dInputs[{j}]");
                grads.Dx[j] = dx.DevicePointer;
            }
        }
        if (n == 0)
        {
            dWeights.Clear();
            return;
        }
        CudaLaunch launch = CudaLaunch.Linear(n, BlockSize, MaxBlocks());
        int blocks = (int)launch.GridX;
        if (_partials is null || _partials.Length < blocks * k)
        {
            _partials?.Dispose();
            _partials = _device.Allocate<float>(MaxBlocks() * MaxOps);
        }
        _backward.Launch(launch, args, grads, k, dy.DevicePointer, (long)n, accumulate ? 1 : 0,
            _partials.DevicePointer);
        _reduce.Launch(CudaLaunch.Blocks(k, BlockSize), _partials.DevicePointer, blocks, k, dWeights.DevicePointer);
    }

    public void Dispose()
    {
        _partials?.Dispose();
        _partials = null;
    }

    // A few waves of blocks saturate memory bandwidth; more only lengthens the partial-sum reduction.
    private int MaxBlocks() => Math.Max(1, _device.MultiprocessorCount * 8);

    private static int CheckOps(ReadOnlySpan<float> weights, int count)
    {
        if (count < 1 || count > MaxOps)
        {
            throw new ArgumentException($"A mixed op takes 1..{MaxOps} inputs, got {count}.", nameof(weights));
        }
        if (weights.Length != count)
        {
            throw new ArgumentException($"{weights.Length} weights for {count} inputs.", nameof(weights));
        }
        return count;
    }

    private MixedOpArgs Pack(ReadOnlySpan<float> weights, IReadOnlyList<CudaBuffer<float>> inputs, int n)
    {
        MixedOpArgs args = default;
        for (int j = 0; j < inputs.Count; j++)
        {
            CudaChecks.Length(inputs[j], n, $"inputs[{j}]");
            CudaChecks.SameDevice(_device, inputs[j], $"inputs[{j}]");
            args.X[j] = inputs[j].DevicePointer;
            args.W[j] = weights[j];
        }
        return args;
    }

    /// <summary>Matches <c>struct MixedOpArgs</c> in MixedOp.cu: 16 pointers then 16 floats, 192 bytes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct MixedOpArgs
    {
        public fixed ulong X[MaxOps];
        public fixed float W[MaxOps];
    }

    /// <summary>Matches <c>struct MixedOpGradients</c>: null pointers mark inputs that need no gradient.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct MixedOpGradients
    {
        public fixed ulong Dx[MaxOps];
    }
}
