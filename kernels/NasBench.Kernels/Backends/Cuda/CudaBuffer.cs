namespace NasBench.Kernels.Backends.Cuda;

/// <summary>A device allocation of <see cref="Length"/> elements of <typeparamref name="T"/>.</summary>
/// <remarks>Copies are synchronous with respect to earlier work on the device's default stream, so a
/// <see cref="CopyTo"/> after a launch sees the launch's results. A zero-length buffer allocates nothing.</remarks>
public sealed unsafe class CudaBuffer<T> : IDisposable
    where T : unmanaged
{
    private ulong _pointer;

    internal CudaBuffer(CudaDevice device, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Device = device;
        Length = length;
        if (length > 0)
        {
            device.MakeCurrent();
            ulong pointer;
            CudaDriver.Check(CudaDriver.cuMemAlloc_v2(&pointer, (nuint)SizeInBytes), "cuMemAlloc_v2");
            _pointer = pointer;
        }
    }

    public CudaDevice Device { get; }

    public int Length { get; }

    public long SizeInBytes => (long)Length * sizeof(T);

    /// <summary>The device address, as kernels take it (pass by value to <see cref="CudaKernel.Launch{T1}"/>).
    /// </summary>
    public ulong DevicePointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(_pointer == 0 && Length > 0, this);
            return _pointer;
        }
    }

    /// <summary>Copies <paramref name="source"/> into the buffer starting at element <paramref name="offset"/>.
    /// </summary>
    public void CopyFrom(ReadOnlySpan<T> source, int offset = 0)
    {
        CheckRange(offset, source.Length);
        if (source.IsEmpty)
        {
            return;
        }
        Device.MakeCurrent();
        fixed (T* p = source)
        {
            CudaDriver.Check(CudaDriver.cuMemcpyHtoD_v2(DevicePointer + ((ulong)offset * (ulong)sizeof(T)), p,
                (nuint)((long)source.Length * sizeof(T))), "cuMemcpyHtoD_v2");
        }
    }

    /// <summary>Copies <c>destination.Length</c> elements starting at <paramref name="offset"/> to the host.</summary>
    public void CopyTo(Span<T> destination, int offset = 0)
    {
        CheckRange(offset, destination.Length);
        if (destination.IsEmpty)
        {
            return;
        }
        Device.MakeCurrent();
        fixed (T* p = destination)
        {
            CudaDriver.Check(CudaDriver.cuMemcpyDtoH_v2(p, DevicePointer + ((ulong)offset * (ulong)sizeof(T)),
                (nuint)((long)destination.Length * sizeof(T))), "cuMemcpyDtoH_v2");
        }
    }

    public T[] ToArray()
    {
        var result = new T[Length];
        CopyTo(result);
        return result;
    }

    /// <summary>Sets every byte to zero (0.0f for floats).</summary>
    public void Clear()
    {
        if (Length == 0)
        {
            return;
        }
        Device.MakeCurrent();
        CudaDriver.Check(CudaDriver.cuMemsetD8_v2(DevicePointer, 0, (nuint)SizeInBytes), "cuMemsetD8_v2");
    }

    public void Dispose()
    {
        if (_pointer != 0)
        {
            Device.MakeCurrent();
            // Freeing after a sticky launch error fails too; there is nothing better to do with that error here.
            _ = CudaDriver.cuMemFree_v2(_pointer);
            _pointer = 0;
        }
    }

    private void CheckRange(int offset, int count)
    {
        if (offset < 0 || count < 0 || (long)offset + count > Length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset),
                $"Range [{offset}, {(long)offset + count}) is outside the buffer of {Length} elements.");
        }
    }
}
