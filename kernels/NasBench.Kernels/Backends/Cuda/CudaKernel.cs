namespace NasBench.Kernels.Backends.Cuda;

/// <summary>One <c>extern "C"</c> kernel of a <see cref="CudaModule"/>, launched on the device's default stream.
/// </summary>
/// <remarks>
/// <c>cuLaunchKernel</c> takes an array of pointers, one to each argument value. The typed overloads keep the values
/// in their own parameters (fixed locals) and build that array with <c>stackalloc</c>: no boxing, no pinning handles,
/// no allocation per launch. Each argument type must match the kernel's C parameter exactly in size and layout:
/// device pointers are <see cref="ulong"/>, <c>int</c> is <see cref="int"/>, a C struct a sequential struct.
/// Launches are asynchronous; errors in the kernel surface at the next synchronising call.
/// </remarks>
public sealed unsafe class CudaKernel
{
    private readonly IntPtr _function;

    internal CudaKernel(CudaDevice device, IntPtr function, string name)
    {
        Device = device;
        _function = function;
        Name = name;
    }

    public CudaDevice Device { get; }

    public string Name { get; }

    /// <summary>Launches with a caller-built argument pointer array of the kernel's arity.</summary>
    public void Launch(in CudaLaunch launch, void** arguments)
    {
        Device.MakeCurrent();
        CudaDriver.Check(CudaDriver.cuLaunchKernel(_function, launch.GridX, launch.GridY, launch.GridZ,
            launch.BlockX, launch.BlockY, launch.BlockZ, launch.SharedBytes, IntPtr.Zero, arguments, null),
            $"cuLaunchKernel({Name})");
    }

    public void Launch<T1>(in CudaLaunch launch, T1 a1)
        where T1 : unmanaged
    {
        void** p = stackalloc void*[1];
        p[0] = &a1;
        Launch(launch, p);
    }

    public void Launch<T1, T2>(in CudaLaunch launch, T1 a1, T2 a2)
        where T1 : unmanaged
        where T2 : unmanaged
    {
        void** p = stackalloc void*[2];
        p[0] = &a1;
        p[1] = &a2;
        Launch(launch, p);
    }

    public void Launch<T1, T2, T3>(in CudaLaunch launch, T1 a1, T2 a2, T3 a3)
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
    {
        void** p = stackalloc void*[3];
        p[0] = &a1;
        p[1] = &a2;
        p[2] = &a3;
        Launch(launch, p);
    }

    public void Launch<T1, T2, T3, T4>(in CudaLaunch launch, T1 a1, T2 a2, T3 a3, T4 a4)
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
        where T4 : unmanaged
    {
        void** p = stackalloc void*[4];
        p[0] = &a1;
        p[1] = &a2;
        p[2] = &a3;
        p[3] = &a4;
        Launch(launch, p);
    }

    public void Launch<T1, T2, T3, T4, T5>(in CudaLaunch launch, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5)
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
        where T4 : unmanaged
        where T5 : unmanaged
    {
        void** p = stackalloc void*[5];
        p[0] = &a1;
        p[1] = &a2;
        p[2] = &a3;
        p[3] = &a4;
        p[4] = &a5;
        Launch(launch, p);
    }

    public void Launch<T1, T2, T3, T4, T5, T6>(in CudaLaunch launch, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6)
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
        where T4 : unmanaged
        where T5 : unmanaged
        where T6 : unmanaged
    {
        void** p = stackalloc void*[6];
        p[0] = &a1;
        p[1] = &a2;
        p[2] = &a3;
        p[3] = &a4;
        p[4] = &a5;
        p[5] = &a6;
        Launch(launch, p);
    }

    public void Launch<T1, T2, T3, T4, T5, T6, T7>(in CudaLaunch launch, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6,
        T7 a7)
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
        where T4 : unmanaged
        where T5 : unmanaged
        where T6 : unmanaged
        where T7 : unmanaged
    {
        void** p = stackalloc void*[7];
        p[0] = &a1;
        p[1] = &a2;
        p[2] = &a3;
        p[3] = &a4;
        p[4] = &a5;
        p[5] = &a6;
        p[6] = &a7;
        Launch(launch, p);
    }

    public void Launch<T1, T2, T3, T4, T5, T6, T7, T8>(in CudaLaunch launch, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6,
        T7 a7, T8 a8)
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
        where T4 : unmanaged
        where T5 : unmanaged
        where T6 : unmanaged
        where T7 : unmanaged
        where T8 : unmanaged
    {
        void** p = stackalloc void*[8];
        p[0] = &a1;
        p[1] = &a2;
        p[2] = &a3;
        p[3] = &a4;
        p[4] = &a5;
        p[5] = &a6;
        p[6] = &a7;
        p[7] = &a8;
        Launch(launch, p);
    }

    public void Launch<T1, T2, T3, T4, T5, T6, T7, T8, T9>(in CudaLaunch launch, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5,
        T6 a6, T7 a7, T8 a8, T9 a9)
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
        where T4 : unmanaged
        where T5 : unmanaged
        where T6 : unmanaged
        where T7 : unmanaged
        where T8 : unmanaged
        where T9 : unmanaged
    {
        void** p = stackalloc void*[9];
        p[0] = &a1;
        p[1] = &a2;
        p[2] = &a3;
        p[3] = &a4;
        p[4] = &a5;
        p[5] = &a6;
        p[6] = &a7;
        p[7] = &a8;
        p[8] = &a9;
        Launch(launch, p);
    }

    public void Launch<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10>(in CudaLaunch launch, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5,
        T6 a6, T7 a7, T8 a8, T9 a9, T10 a10)
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
        where T4 : unmanaged
        where T5 : unmanaged
        where T6 : unmanaged
        where T7 : unmanaged
        where T8 : unmanaged
        where T9 : unmanaged
        where T10 : unmanaged
    {
        void** p = stackalloc void*[10];
        p[0] = &a1;
        p[1] = &a2;
        p[2] = &a3;
        p[3] = &a4;
        p[4] = &a5;
        p[5] = &a6;
        p[6] = &a7;
        p[7] = &a8;
        p[8] = &a9;
        p[9] = &a10;
        Launch(launch, p);
    }

    public void Launch<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11>(in CudaLaunch launch, T1 a1, T2 a2, T3 a3, T4 a4,
        T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11)
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
        where T4 : unmanaged
        where T5 : unmanaged
        where T6 : unmanaged
        where T7 : unmanaged
        where T8 : unmanaged
        where T9 : unmanaged
        where T10 : unmanaged
        where T11 : unmanaged
    {
        void** p = stackalloc void*[11];
        p[0] = &a1;
        p[1] = &a2;
        p[2] = &a3;
        p[3] = &a4;
        p[4] = &a5;
        p[5] = &a6;
        p[6] = &a7;
        p[7] = &a8;
        p[8] = &a9;
        p[9] = &a10;
        p[10] = &a11;
        Launch(launch, p);
    }

    public void Launch<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12>(in CudaLaunch launch, T1 a1, T2 a2, T3 a3,
        T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12)
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
        where T4 : unmanaged
        where T5 : unmanaged
        where T6 : unmanaged
        where T7 : unmanaged
        where T8 : unmanaged
        where T9 : unmanaged
        where T10 : unmanaged
        where T11 : unmanaged
        where T12 : unmanaged
    {
        void** p = stackalloc void*[12];
        p[0] = &a1;
        p[1] = &a2;
        p[2] = &a3;
        p[3] = &a4;
        p[4] = &a5;
        p[5] = &a6;
        p[6] = &a7;
        p[7] = &a8;
        p[8] = &a9;
        p[9] = &a10;
        p[10] = &a11;
        p[11] = &a12;
        Launch(launch, p);
    }

    public void Launch<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13>(in CudaLaunch launch, T1 a1, T2 a2,
        T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13)
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
        where T4 : unmanaged
        where T5 : unmanaged
        where T6 : unmanaged
        where T7 : unmanaged
        where T8 : unmanaged
        where T9 : unmanaged
        where T10 : unmanaged
        where T11 : unmanaged
        where T12 : unmanaged
        where T13 : unmanaged
    {
        void** p = stackalloc void*[13];
        p[0] = &a1;
        p[1] = &a2;
        p[2] = &a3;
        p[3] = &a4;
        p[4] = &a5;
        p[5] = &a6;
        p[6] = &a7;
        p[7] = &a8;
        p[8] = &a9;
        p[9] = &a10;
        p[10] = &a11;
        p[11] = &a12;
        p[12] = &a13;
        Launch(launch, p);
    }

    public void Launch<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14>(in CudaLaunch launch, T1 a1, T2 a2,
        T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13, T14 a14)
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
        where T4 : unmanaged
        where T5 : unmanaged
        where T6 : unmanaged
        where T7 : unmanaged
        where T8 : unmanaged
        where T9 : unmanaged
        where T10 : unmanaged
        where T11 : unmanaged
        where T12 : unmanaged
        where T13 : unmanaged
        where T14 : unmanaged
    {
        void** p = stackalloc void*[14];
        p[0] = &a1;
        p[1] = &a2;
        p[2] = &a3;
        p[3] = &a4;
        p[4] = &a5;
        p[5] = &a6;
        p[6] = &a7;
        p[7] = &a8;
        p[8] = &a9;
        p[9] = &a10;
        p[10] = &a11;
        p[11] = &a12;
        p[12] = &a13;
        p[13] = &a14;
        Launch(launch, p);
    }

    public void Launch<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15>(in CudaLaunch launch, T1 a1,
        T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13, T14 a14, T15 a15)
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
        where T4 : unmanaged
        where T5 : unmanaged
        where T6 : unmanaged
        where T7 : unmanaged
        where T8 : unmanaged
        where T9 : unmanaged
        where T10 : unmanaged
        where T11 : unmanaged
        where T12 : unmanaged
        where T13 : unmanaged
        where T14 : unmanaged
        where T15 : unmanaged
    {
        void** p = stackalloc void*[15];
        p[0] = &a1;
        p[1] = &a2;
        p[2] = &a3;
        p[3] = &a4;
        p[4] = &a5;
        p[5] = &a6;
        p[6] = &a7;
        p[7] = &a8;
        p[8] = &a9;
        p[9] = &a10;
        p[10] = &a11;
        p[11] = &a12;
        p[12] = &a13;
        p[13] = &a14;
        p[14] = &a15;
        Launch(launch, p);
    }

    public void Launch<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16>(in CudaLaunch launch,
        T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13, T14 a14,
        T15 a15, T16 a16)
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
        where T4 : unmanaged
        where T5 : unmanaged
        where T6 : unmanaged
        where T7 : unmanaged
        where T8 : unmanaged
        where T9 : unmanaged
        where T10 : unmanaged
        where T11 : unmanaged
        where T12 : unmanaged
        where T13 : unmanaged
        where T14 : unmanaged
        where T15 : unmanaged
        where T16 : unmanaged
    {
        void** p = stackalloc void*[16];
        p[0] = &a1;
        p[1] = &a2;
        p[2] = &a3;
        p[3] = &a4;
        p[4] = &a5;
        p[5] = &a6;
        p[6] = &a7;
        p[7] = &a8;
        p[8] = &a9;
        p[9] = &a10;
        p[10] = &a11;
        p[11] = &a12;
        p[12] = &a13;
        p[13] = &a14;
        p[14] = &a15;
        p[15] = &a16;
        Launch(launch, p);
    }
}
