using NasBench.Kernels.Backends.Cuda;

namespace NasBench.Benchmarks.Kernels;

/// <summary>One CUDA kernel on one shape in <c>cuda-time</c>, beside its CPU twin on the same operands.</summary>
/// <remarks>
/// <para><see cref="CudaCaseTimer"/> drives the phases in order: construction (host operands only), <see cref="Upload"/>
/// (device copies, untimed), <see cref="Prepare"/> (the CUDA wrapper: the first wrapper of each <c>.cu</c> file compiles
/// it with NVRTC and loads the module, so this belongs to the "first call" time), then <see cref="RunGpu"/> and
/// <see cref="RunCpu"/> repeatedly, and <see cref="Check"/> last. Device fields are therefore set before they are
/// read, and are declared <c>null!</c>.</para>
/// <para>Every device buffer and disposable wrapper goes through <see cref="Own{T}"/>, so that whichever phase fails,
/// <see cref="Dispose"/> frees what was made before it.</para>
/// </remarks>
internal abstract class CudaTimingCase : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    /// <summary>Work per call for the rate columns, or null where no rate means much.</summary>
    public virtual CudaWork? Work => null;

    /// <summary>True when a GPU call reads a result back and so synchronises by itself: a batch then cannot overlap
    /// one call's launch with the previous call's work.</summary>
    public virtual bool SynchronisesEachCall => false;

    /// <summary>Copies the operands to the device.</summary>
    public abstract void Upload(CudaDevice device);

    /// <summary>Builds the CUDA wrapper (timed as part of the first call).</summary>
    public abstract void Prepare(CudaDevice device);

    /// <summary>One call of the CUDA kernel: launches only, no synchronisation of its own (unless
    /// <see cref="SynchronisesEachCall"/>).</summary>
    public abstract void RunGpu();

    /// <summary>One call of the CPU twin on the host copies of the same operands.</summary>
    public abstract void RunCpu();

    /// <summary>Brings both sides to the same result (rerunning them from the same state where a call changes its
    /// operands), copies the GPU outputs back and compares them with the CPU's.</summary>
    public abstract IReadOnlyList<CudaAgreement> Check();

    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }
        _owned.Clear();
    }

    /// <summary>Registers <paramref name="resource"/> for <see cref="Dispose"/> and returns it.</summary>
    protected T Own<T>(T resource)
        where T : IDisposable
    {
        _owned.Add(resource);
        return resource;
    }

    /// <summary>Uploads <paramref name="host"/> into an owned device buffer.</summary>
    protected CudaBuffer<T> Upload<T>(CudaDevice device, T[] host)
        where T : unmanaged => Own(device.Upload<T>(host));

    /// <summary>An owned device buffer of <paramref name="length"/> elements (contents undefined).</summary>
    protected CudaBuffer<T> Allocate<T>(CudaDevice device, int length)
        where T : unmanaged => Own(device.Allocate<T>(length));

    /// <summary>The device buffer's contents, copied back.</summary>
    protected static float[] Download(CudaBuffer<float> buffer) => buffer.ToArray();

    /// <summary><paramref name="length"/> floats uniform in [low, high), reproducible from <paramref name="seed"/>.
    /// </summary>
    protected static float[] Uniform(int seed, int length, float low, float high)
    {
        var rng = new Random(seed);
        var a = new float[length];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = low + ((high - low) * rng.NextSingle());
        }
        return a;
    }
}
