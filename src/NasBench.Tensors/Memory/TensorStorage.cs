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
        _array = BufferPool.RentAligned(length, out int start);
        Start = start;
    }

    public int Length { get; }

    /// <summary>Index of the first element in <see cref="Array"/>: the data starts on a cache-line boundary.</summary>
    public int Start { get; }

    public Device Device { get; }

    public bool IsReleased => _array is null;

    /// <summary>The first <paramref name="count"/> elements as a span.</summary>
    public Span<float> Span(int count) => Array.AsSpan(Start, count);

    /// <summary>The first <paramref name="count"/> elements as a segment of the rented array, for kernels that pin it.
    /// </summary>
    public ArraySegment<float> Segment(int count) => new(Array, Start, count);

    /// <summary>The first <paramref name="count"/> elements as memory.</summary>
    public Memory<float> Memory(int count) => Array.AsMemory(Start, count);

    /// <summary>The rented array; the data starts at <see cref="Start"/>, and the array may be longer than
    /// <see cref="Start"/> + <see cref="Length"/>.</summary>
    private float[] Array => _array ?? throw new ObjectDisposedException(nameof(TensorStorage),
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
