namespace NasBench.Tensors.Memory;

/// <summary>The float buffer behind one or more tensors (views share it), rented from <see cref="BufferPool"/> and
/// given back when the last tensor using it is disposed.</summary>
internal sealed class TensorStorage
{
    private float[]? _array;
    private int _references = 1;

    public TensorStorage(int length, Device device)
    {
        if (device.Type != DeviceType.Cpu)
        {
            throw new NotSupportedException($"Device {device} has no storage backend yet; only cpu is available.");
        }
        Length = length;
        Device = device;
        _array = BufferPool.Rent(length);
    }

    public int Length { get; }

    public Device Device { get; }

    public bool IsReleased => _array is null;

    /// <summary>The rented array; may be longer than <see cref="Length"/>.</summary>
    public float[] Array => _array ?? throw new ObjectDisposedException(nameof(TensorStorage),
        "Tensor storage was already returned to the pool.");

    public void AddReference() => _references++;

    public void Release()
    {
        if (--_references == 0 && _array is not null)
        {
            BufferPool.Return(_array);
            _array = null;
        }
    }
}
