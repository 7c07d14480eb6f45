using NasBench.Kernels.Backends.Cuda;

namespace NasBench.Kernels.Cuda;

/// <summary>ReLU forward and backward on a CUDA device (<c>Activation.cu</c>); the twin of
/// <see cref="Cpu.ActivationKernel"/>.</summary>
/// <remarks>Length is that of <c>x</c>; the other buffers must be at least as long.</remarks>
public sealed class CudaActivationKernel
{
    private readonly CudaDevice _device;
    private readonly CudaKernel _forward;
    private readonly CudaKernel _backward;

    public CudaActivationKernel(CudaDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        _device = device;
        CudaModule module = device.GetEmbeddedModule("Activation.cu");
        _forward = module.GetKernel("relu_forward");
        _backward = module.GetKernel("relu_backward");
    }

    /// <summary>y = max(x, 0).</summary>
    public void Relu(CudaBuffer<float> x, CudaBuffer<float> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        CudaChecks.Length(y, x.Length, nameof(y));
        if (x.Length > 0)
        {
            _forward.Launch(Launch(x.Length), x.DevicePointer, y.DevicePointer, (long)x.Length);
        }
    }

    /// <summary>dx (= or +=) dy where x &gt; 0, else 0.</summary>
    public void ReluBackward(CudaBuffer<float> x, CudaBuffer<float> dy, CudaBuffer<float> dx, bool accumulate)
    {
        ArgumentNullException.ThrowIfNull(x);
        CudaChecks.Length(dy, x.Length, nameof(dy));
        CudaChecks.Length(dx, x.Length, nameof(dx));
        if (x.Length > 0)
        {
            _backward.Launch(Launch(x.Length), x.DevicePointer, dy.DevicePointer, dx.DevicePointer, (long)x.Length,
                accumulate ? 1 : 0);
        }
    }

    private CudaLaunch Launch(int n) => CudaLaunch.Linear(n, 256, Math.Max(1, _device.MultiprocessorCount * 16));
}
