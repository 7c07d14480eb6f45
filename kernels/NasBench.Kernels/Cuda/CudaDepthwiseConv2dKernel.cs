using System.Runtime.InteropServices;
using NasBench.Kernels.Backends.Cuda;
using NasBench.Kernels.Cpu;

namespace NasBench.Kernels.Cuda;

/// <summary>Direct depthwise convolution forward on a CUDA device (<c>DepthwiseConv2d.cu</c>); the twin of
/// <see cref="DepthwiseConv2dKernel.Forward"/>.</summary>
/// <remarks>x is [N, C, H, W], w is [C, 1, KH, KW], bias is [C] or null, y is [N, C, OH, OW]; geometry (stride,
/// zero padding, dilation, output size) is that of <see cref="Conv2dShape"/> with Groups == C.</remarks>
public sealed class CudaDepthwiseConv2dKernel
{
    private readonly CudaDevice _device;
    private readonly CudaKernel _forward;

    public CudaDepthwiseConv2dKernel(CudaDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        _device = device;
        _forward = device.GetEmbeddedModule("DepthwiseConv2d.cu").GetKernel("depthwise_conv2d_forward");
    }

    public void Forward(in Conv2dShape s, CudaBuffer<float> x, CudaBuffer<float> w, CudaBuffer<float>? bias,
        CudaBuffer<float> y)
    {
        s.Validate();
        if (!s.IsDepthwise)
        {
            throw new ArgumentException($"Not a depthwise convolution (Groups must equal both channel counts): {s}.",
                nameof(s));
        }
        CudaChecks.Length(x, s.InputLength, nameof(x));
        CudaChecks.Length(w, s.WeightLength, nameof(w));
        CudaChecks.Length(y, s.OutputLength, nameof(y));
        if (bias is not null)
        {
            CudaChecks.Length(bias, s.OutChannels, nameof(bias));
        }
        var shape = new DepthwiseShape
        {
            Batch = s.Batch, Channels = s.InChannels, Height = s.Height, Width = s.Width,
            KernelH = s.KernelH, KernelW = s.KernelW, StrideH = s.StrideH, StrideW = s.StrideW,
            PadH = s.PadH, PadW = s.PadW, DilationH = s.DilationH, DilationW = s.DilationW,
            OutH = s.OutHeight, OutW = s.OutWidth,
        };
        _forward.Launch(CudaLaunch.Linear(s.OutputLength, 256, Math.Max(1, _device.MultiprocessorCount * 16)), shape,
            x.DevicePointer, w.DevicePointer, bias?.DevicePointer ?? 0UL, y.DevicePointer);
    }

    /// <summary>Matches <c>struct DepthwiseShape</c> in DepthwiseConv2d.cu field for field.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct DepthwiseShape
    {
        public int Batch;
        public int Channels;
        public int Height;
        public int Width;
        public int KernelH;
        public int KernelW;
        public int StrideH;
        public int StrideW;
        public int PadH;
        public int PadW;
        public int DilationH;
        public int DilationW;
        public int OutH;
        public int OutW;
    }
}
