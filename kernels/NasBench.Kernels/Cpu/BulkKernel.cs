using System.Numerics.Tensors;

namespace NasBench.Kernels.Cpu;

/// <summary>Element-wise arithmetic and copies over whole activations, shared among the CPU threads.</summary>
/// <remarks>
/// The autograd's glue (adding the two edges of a cell node, accumulating a gradient that reaches a tensor twice,
/// concatenating a cell's nodes, the gradients of a checkpoint's inputs) ran on the calling thread alone: in a 2-thread
/// profile of the DARTS supernet step it was a few per cent of the wall time with the second core idle. Spans of at
/// least <see cref="ParallelThreshold"/> floats are cut into fixed chunks of <see cref="FixedChunks.TargetElements"/>;
/// every element is computed by the same operation whatever the chunk, so results equal the single-threaded
/// <see cref="TensorPrimitives"/> call bit for bit. The destination may alias an input (in-place update), never
/// overlap it otherwise.
/// </remarks>
public static unsafe class BulkKernel
{
    /// <summary>Below this many floats (256 KiB) one thread does it all: the dispatch would cost more than it saves.
    /// </summary>
    public const int ParallelThreshold = 2 * FixedChunks.TargetElements;

    private enum Op
    {
        Copy,
        Add,
        Subtract,
        Multiply,
        Scale,
        AddScalar,
        ScaleAdd,
        MultiplyAdd,
        Relu,
    }

    /// <summary>dst = max(a, 0).</summary>
    public static void Relu(ReadOnlySpan<float> a, Span<float> dst) =>
        Run(Op.Relu, a, default, default, 0, dst);

    /// <summary>dst = src.</summary>
    public static void Copy(ReadOnlySpan<float> src, Span<float> dst) =>
        Run(Op.Copy, src, default, default, 0, dst);

    /// <summary>dst = a + b.</summary>
    public static void Add(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst) =>
        Run(Op.Add, a, b, default, 0, dst);

    /// <summary>dst = a − b.</summary>
    public static void Subtract(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst) =>
        Run(Op.Subtract, a, b, default, 0, dst);

    /// <summary>dst = a ⊙ b.</summary>
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst) =>
        Run(Op.Multiply, a, b, default, 0, dst);

    /// <summary>dst = a · scale.</summary>
    public static void Scale(ReadOnlySpan<float> a, float scale, Span<float> dst) =>
        Run(Op.Scale, a, default, default, scale, dst);

    /// <summary>dst = a + value.</summary>
    public static void AddScalar(ReadOnlySpan<float> a, float value, Span<float> dst) =>
        Run(Op.AddScalar, a, default, default, value, dst);

    /// <summary>dst = a · scale + b (<see cref="TensorPrimitives.MultiplyAdd(ReadOnlySpan{float}, float, ReadOnlySpan{float}, Span{float})"/>).</summary>
    public static void ScaleAdd(ReadOnlySpan<float> a, float scale, ReadOnlySpan<float> b, Span<float> dst) =>
        Run(Op.ScaleAdd, a, b, default, scale, dst);

    /// <summary>dst = a ⊙ b + c.</summary>
    public static void MultiplyAdd(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c,
        Span<float> dst) => Run(Op.MultiplyAdd, a, b, c, 0, dst);

    /// <summary>Copies (or adds, with <paramref name="accumulate"/>) <paramref name="blocks"/> runs of
    /// <paramref name="blockLength"/> floats: run i from <c>src + i·srcStride</c> to <c>dst + i·dstStride</c>. The
    /// per-image copies of a channel concatenation and of a channel slice.</summary>
    public static void CopyBlocks(ReadOnlySpan<float> src, int srcStride, Span<float> dst, int dstStride, int blocks,
        int blockLength, bool accumulate)
    {
        if (blocks <= 0 || blockLength <= 0)
        {
            return;
        }
        CheckBlocks(src.Length, srcStride, blocks, blockLength, nameof(src));
        CheckBlocks(dst.Length, dstStride, blocks, blockLength, nameof(dst));
        int per = FixedChunks.ItemsPerChunk(blockLength);
        int chunks = (long)blocks * blockLength < ParallelThreshold ? 1 : FixedChunks.ChunkCount(blocks, per);
        fixed (float* ps = src, pd = dst)
        {
            nint sa = (nint)ps, da = (nint)pd;
            if (chunks == 1)
            {
                CopyBlockRange(ps, srcStride, pd, dstStride, 0, blocks, blockLength, accumulate);
                return;
            }
            CpuParallel.For(chunks, chunk =>
            {
                int first = chunk * per;
                CopyBlockRange((float*)sa, srcStride, (float*)da, dstStride, first, Math.Min(blocks, first + per),
                    blockLength, accumulate);
            });
        }
    }

    private static void CopyBlockRange(float* src, int srcStride, float* dst, int dstStride, int first, int end,
        int blockLength, bool accumulate)
    {
        for (int i = first; i < end; i++)
        {
            var from = new ReadOnlySpan<float>(src + ((long)i * srcStride), blockLength);
            var to = new Span<float>(dst + ((long)i * dstStride), blockLength);
            if (accumulate)
            {
                TensorPrimitives.Add(to, from, to);
            }
            else
            {
                from.CopyTo(to);
            }
        }
    }

    private static void Run(Op op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, float s,
        Span<float> dst)
    {
        int n = dst.Length;
        CheckLength(a.Length, n, nameof(a));
        if (op is Op.Add or Op.Subtract or Op.Multiply or Op.ScaleAdd or Op.MultiplyAdd)
        {
            CheckLength(b.Length, n, nameof(b));
        }
        if (op == Op.MultiplyAdd)
        {
            CheckLength(c.Length, n, nameof(c));
        }
        if (n < ParallelThreshold)
        {
            Apply(op, a, b, c, s, dst);
            return;
        }
        const int per = FixedChunks.TargetElements;
        fixed (float* pa = a, pb = b, pc = c, pd = dst)
        {
            nint aa = (nint)pa, ba = (nint)pb, ca = (nint)pc, da = (nint)pd;
            CpuParallel.For((n + per - 1) / per, chunk =>
            {
                int start = chunk * per, count = Math.Min(per, n - start);
                Apply(op, Slice(aa, start, count), ba == 0 ? default : Slice(ba, start, count),
                    ca == 0 ? default : Slice(ca, start, count), s,
                    new Span<float>((float*)da + start, count));
            });
        }
    }

    private static ReadOnlySpan<float> Slice(nint p, int start, int count) =>
        new((float*)p + start, count);

    private static void Apply(Op op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, float s,
        Span<float> dst)
    {
        switch (op)
        {
            case Op.Copy:
                a.CopyTo(dst);
                break;
            case Op.Add:
                TensorPrimitives.Add(a, b, dst);
                break;
            case Op.Subtract:
                TensorPrimitives.Subtract(a, b, dst);
                break;
            case Op.Multiply:
                TensorPrimitives.Multiply(a, b, dst);
                break;
            case Op.Scale:
                TensorPrimitives.Multiply(a, s, dst);
                break;
            case Op.AddScalar:
                TensorPrimitives.Add(a, s, dst);
                break;
            case Op.ScaleAdd:
                TensorPrimitives.MultiplyAdd(a, s, b, dst);
                break;
            case Op.Relu:
                TensorPrimitives.Max(a, 0f, dst);
                break;
            default:
                TensorPrimitives.MultiplyAdd(a, b, c, dst);
                break;
        }
    }

    private static void CheckLength(int actual, int expected, string name)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{name} holds {actual} values; the destination holds {expected}.", name);
        }
    }

    private static void CheckBlocks(int length, int stride, int blocks, int blockLength, string name)
    {
        if (stride < blockLength || ((long)(blocks - 1) * stride) + blockLength > length)
        {
            throw new ArgumentException($"{name}: {blocks} blocks of {blockLength} floats {stride} apart need "
                + $"{((long)(blocks - 1) * stride) + blockLength} values and a stride of at least {blockLength}; "
                + $"it holds {length} with stride {stride}.", name);
        }
    }
}
