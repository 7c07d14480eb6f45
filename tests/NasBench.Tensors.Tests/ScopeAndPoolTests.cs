using NasBench.Tensors;
using NasBench.Tensors.Memory;
using NasBench.Tensors.Nn;

namespace NasBench.Tensors.Tests;

public class ScopeAndPoolTests
{
    [Fact]
    public void Scope_returns_tensors_and_the_next_scope_reuses_their_arrays()
    {
        float[] first;
        using (var scope = TensorScope.Enter())
        {
            var t = Tensor.Zeros(3, 1000, 7);
            first = t.AsSegment().Array!;
            Assert.Equal(1, scope.OwnedCount);
        }
        // Buckets are per size; this thread's fresh return is on top of its bucket's stack. Other tests may race for
        // the same bucket, so reuse is checked over a few tries rather than once.
        bool reused = false;
        for (int i = 0; i < 20 && !reused; i++)
        {
            using var scope = TensorScope.Enter();
            reused = ReferenceEquals(Tensor.Empty(3, 1000, 7).AsSegment().Array, first);
        }
        Assert.True(reused, "the array returned by the first scope was never handed out again");
    }

    [Fact]
    public void Using_a_disposed_tensor_throws_a_clear_error()
    {
        Tensor t;
        using (TensorScope.Enter())
        {
            t = Tensor.Ones(2, 3);
        }
        Assert.True(t.IsDisposed);
        var e = Assert.Throws<ObjectDisposedException>(() => t.Sum());
        Assert.Contains("[2, 3]", e.Message, StringComparison.Ordinal);
        Assert.Contains("disposed", e.Message, StringComparison.Ordinal);
        Assert.Contains("MoveToOuterScope", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Moved_tensors_parameters_and_buffers_survive_the_scope()
    {
        Tensor kept, inner, outerOwned;
        var bn = new BatchNorm2d(2);
        var p = new Parameter(Tensor.Ones(4));
        using (var outer = TensorScope.Enter())
        {
            using (TensorScope.Enter())
            {
                kept = Tensor.Ones(5).MoveToOuterScope();
                inner = Tensor.Ones(5);
                var bn2 = new BatchNorm2d(3);
                outerOwned = bn2.RunningMean!;
                _ = bn.Forward(Tensor.Randn(new Generator(1), 2, 2, 2, 2));
            }
            Assert.True(inner.IsDisposed);
            Assert.False(kept.IsDisposed);
            Assert.Same(outer, kept.Scope);
            Assert.False(outerOwned.IsDisposed);
            Assert.Equal(5f, kept.Sum().Item());
        }
        Assert.True(kept.IsDisposed);
        Assert.False(p.IsDisposed);
        Assert.False(bn.RunningMean!.IsDisposed);
        Assert.Equal(4f, p.Sum().Item());
    }

    [Fact]
    public void Views_keep_storage_alive_until_the_last_one_is_disposed()
    {
        var t = Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2).DetachFromScope();
        var v = t.Reshape(4).DetachFromScope();
        t.Dispose();
        Assert.Equal(10f, v.Sum().Item());
        v.Dispose();
        Assert.Throws<ObjectDisposedException>(() => v.ToArray());
    }

    [Fact]
    public void Pool_rounds_up_to_power_of_two_buckets()
    {
        var a = BufferPool.Rent(1000);
        Assert.Equal(1024, a.Length);
        BufferPool.Return(a);
        Assert.Single(BufferPool.Rent(1));
        Assert.Single(BufferPool.Rent(0));
    }

    [Fact]
    public void Aligned_rent_starts_on_a_cache_line_with_room_for_the_length()
    {
        foreach (int length in new[] { 0, 1, 15, 16, 17, 1000, 1024, 4096, 100_000 })
        {
            var array = BufferPool.RentAligned(length, out int start);
            Assert.InRange(start, 0, BufferPool.AlignmentBytes / sizeof(float) - 1);
            Assert.True(start + length <= array.Length, $"length {length}: start {start}, array {array.Length}");
            Assert.Equal(0, AddressOf(array, start) % BufferPool.AlignmentBytes);
            BufferPool.Return(array);
        }
    }

    [Fact]
    public void Tensor_data_starts_on_a_cache_line()
    {
        using var scope = TensorScope.Enter();
        foreach (var shape in new[] { new[] { 1 }, [3, 5], [64, 16, 28, 28], [32, 14, 14, 64], [256] })
        {
            var segment = Tensor.Empty(shape).AsSegment();
            Assert.Equal(0, AddressOf(segment.Array!, segment.Offset) % BufferPool.AlignmentBytes);
        }
    }

    /// <summary>The element's address, found through a pinning handle (not the pool's own arithmetic).</summary>
    private static long AddressOf(float[] array, int index)
    {
        var handle = System.Runtime.InteropServices.GCHandle.Alloc(array,
            System.Runtime.InteropServices.GCHandleType.Pinned);
        try
        {
            return (long)handle.AddrOfPinnedObject() + ((long)index * sizeof(float));
        }
        finally
        {
            handle.Free();
        }
    }
}
