using System.Numerics;

namespace NasBench.Tensors.Memory;

/// <summary>Size-bucketed pool of <c>float[]</c> that tensor storage is rented from, so a steady-state training step
/// reuses the arrays of the previous one instead of allocating.</summary>
/// <remarks>Buckets are powers of two (an array of length 2^b serves any request in (2^(b−1), 2^b]), so a rented array
/// may be longer than asked for; callers slice to the length they need. Rented arrays are not cleared. Thread-safe:
/// one lock per bucket, held only to push or pop.</remarks>
public static class BufferPool
{
    private const int MaxBuckets = 31;

    /// <summary>Arrays kept per bucket; beyond this, returned arrays are left to the GC.</summary>
    private const int MaxPerBucket = 256;

    private static readonly Stack<float[]>[] Buckets = CreateBuckets();
    private static long _rented;
    private static long _created;

    /// <summary>Arrays handed out since start (pool hits plus new arrays).</summary>
    public static long RentCount => Interlocked.Read(ref _rented);

    /// <summary>Arrays newly allocated since start because the bucket was empty.</summary>
    public static long CreatedCount => Interlocked.Read(ref _created);

    /// <summary>Rents an array of at least <paramref name="length"/> elements (contents undefined).</summary>
    public static float[] Rent(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Interlocked.Increment(ref _rented);
        int bucket = BucketOf(length);
        var stack = Buckets[bucket];
        lock (stack)
        {
            if (stack.TryPop(out var array))
            {
                return array;
            }
        }
        Interlocked.Increment(ref _created);
        return new float[1 << bucket];
    }

    /// <summary>Gives an array back. Arrays whose length is not a bucket size (not from <see cref="Rent"/>) are
    /// ignored.</summary>
    public static void Return(float[] array)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (array.Length == 0 || !BitOperations.IsPow2(array.Length))
        {
            return;
        }
        var stack = Buckets[BitOperations.Log2((uint)array.Length)];
        lock (stack)
        {
            if (stack.Count < MaxPerBucket)
            {
                stack.Push(array);
            }
        }
    }

    /// <summary>Drops every pooled array (tests, or to give memory back after a large model).</summary>
    public static void Clear()
    {
        foreach (var stack in Buckets)
        {
            lock (stack)
            {
                stack.Clear();
            }
        }
    }

    private static int BucketOf(int length) => length <= 1 ? 0 : BitOperations.Log2((uint)(length - 1)) + 1;

    private static Stack<float[]>[] CreateBuckets()
    {
        var buckets = new Stack<float[]>[MaxBuckets];
        for (int i = 0; i < buckets.Length; i++)
        {
            buckets[i] = new Stack<float[]>(MaxPerBucket);
        }
        return buckets;
    }
}
