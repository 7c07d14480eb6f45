using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NasBench.Kernels.Cpu;

/// <summary>Pins the arrays under a list of segments for the length of a call; each pointer is the segment's first
/// element (a segment without an array gives a null pointer).</summary>
internal readonly unsafe ref struct PinnedArrays
{
    private readonly Span<nint> _handles;
    private readonly nint[]? _rentedHandles;
    private readonly nint[]? _rentedPointers;

    public PinnedArrays(IReadOnlyList<ArraySegment<float>> segments, Span<nint> handleScratch, Span<nint> pointerScratch)
    {
        int count = segments.Count;
        if (count > handleScratch.Length)
        {
            _rentedHandles = ArrayPool<nint>.Shared.Rent(count);
            _rentedPointers = ArrayPool<nint>.Shared.Rent(count);
            handleScratch = _rentedHandles;
            pointerScratch = _rentedPointers;
        }
        _handles = handleScratch[..count];
        var pointers = pointerScratch[..count];
        for (int i = 0; i < count; i++)
        {
            var segment = segments[i];
            float[]? array = segment.Array;
            if (array is null)
            {
                _handles[i] = 0;
                pointers[i] = 0;
                continue;
            }
            var handle = GCHandle.Alloc(array, GCHandleType.Pinned);
            _handles[i] = GCHandle.ToIntPtr(handle);
            pointers[i] = (nint)Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(array),
                segment.Offset));
        }
        Pointers = (nint*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(pointers));
    }

    /// <summary>The data pointers; valid until dispose (points into caller-owned stack or a pinned rented array
    /// when K exceeds the stack scratch).</summary>
    public nint* Pointers { get; }

    public void Dispose()
    {
        foreach (nint h in _handles)
        {
            if (h != 0)
            {
                GCHandle.FromIntPtr(h).Free();
            }
        }
        if (_rentedHandles is not null)
        {
            ArrayPool<nint>.Shared.Return(_rentedHandles);
            ArrayPool<nint>.Shared.Return(_rentedPointers!);
        }
    }
}
