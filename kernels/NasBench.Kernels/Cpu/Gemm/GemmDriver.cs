namespace NasBench.Kernels.Cpu.Gemm;

/// <summary>The Goto/BLIS loop nest around a micro-kernel, and the fixed parallel split of C.</summary>
/// <remarks>
/// C is cut into a grid of at most <see cref="GemmBlocking.MaxChunks"/> chunks along M and N only, and each chunk
/// runs the whole loop nest on its own pack buffers (no barrier, no shared state). A product that has one thread
/// (<see cref="CpuParallel.AvailableThreads"/>: 1 thread, or inside a chunk of another parallel loop such as the
/// per-image GEMMs of a convolution parallel over images) is one chunk: each extra chunk re-packs the whole of A (N
/// split) or reads the whole of B (M split), and at 1 thread one chunk was 1.02–1.2× faster than four on the Zen 5
/// guest (squares 256–2048 and the per-image convolution GEMMs, alternating runs).
/// Chunk edges fall on multiples of the micro-kernel tile (MR rows, NR columns), so every micro-panel sits at the same
/// place in every grid, and every C element is reduced over K by the same kernel in the same KC order whatever the
/// grid: 1 and N threads give bit-identical results (tested) although the grid depends on the thread count.
/// (Two chunks instead of four at 2 threads were 1.0–1.15× faster on lone SGEMMs but no faster in the supernet step,
/// where uneven splits such as 2:3 panels leave a thread idle; four stay.)
/// <para>Large products (<see cref="GemmBlocking.SharedBMinWork"/>, eight MC blocks of rows or more) run with
/// <see cref="GemmBlocking.SharedBMinThreads"/> threads or more take the shared-B path instead: each KC×NC block of B
/// is packed once, by all threads in parts, and the threads then claim its MC-row blocks of A one at a time (BLIS's ic loop). Why: with a grid of four private chunks, a thread slowed by the host
/// (this guest's second vCPU is sometimes largely taken for minutes) left the other idle for up to a quarter of the
/// product, and every chunk re-packed its half of A or B; an MC block is a twelfth of a 2048-row product. At 2 048³
/// and 2 threads its GFLOP/s were 1.14, 1.13 and 0.97 times the grid's in three alternating pairs
/// (`docs/results/2026-11-27/gemm-shared-b/`). The choice depends on the shape and the threads, and every C element
/// sees the same micro-kernel over the same KC order, so the thread count changes nothing.
/// </para>
/// </remarks>
internal static unsafe class GemmDriver
{
    public static void Run(GemmPath path, in GemmProblem problem)
    {
        switch (path)
        {
            case GemmPath.Vector512:
                Run<MicroKernel512>(problem);
                break;
            case GemmPath.Vector256:
                Run<MicroKernel256>(problem);
                break;
            case GemmPath.Vector128:
                Run<MicroKernel128>(problem);
                break;
            default:
                Run<MicroKernelScalar>(problem);
                break;
        }
    }

    private static void Run<TKernel>(GemmProblem problem)
        where TKernel : struct, IGemmMicroKernel
    {
        if (SharesB(problem.M, problem.N, problem.K))
        {
            RunSharedB<TKernel>(problem);
            return;
        }
        var (mParts, nParts) = Grid(problem.M, problem.N, problem.K, TKernel.Mr, TKernel.Nr,
            CpuParallel.AvailableThreads);
        int chunks = mParts * nParts;
        if (chunks == 1)
        {
            // Without a closure or dispatch.
            RunChunk<TKernel>(problem, 0, 1, 1);
            return;
        }
        RunParallel<TKernel>(problem, mParts, nParts);
    }

    /// <summary>Kept apart from <see cref="Run{TKernel}"/> because a lambda's closure is allocated on entry to the
    /// method that declares the captured variables, which would cost the serial path an allocation per call.</summary>
    private static void RunParallel<TKernel>(GemmProblem problem, int mParts, int nParts)
        where TKernel : struct, IGemmMicroKernel =>
        CpuParallel.For(mParts * nParts, i => RunChunk<TKernel>(problem, i, mParts, nParts));

    /// <summary>Whether a product takes the shared-B path: large, and at least eight MC blocks of rows, so that the
    /// threads claiming them one by one stay balanced (with three blocks, 512 rows, one thread did two thirds and the
    /// grid was faster; 1 024 rows measured mixed, 2 048 rows 0.97–1.14× faster at 2 threads on the Xeon guest), and
    /// run with at least <see cref="GemmBlocking.SharedBMinThreads"/> threads. Both paths give the same bits, so
    /// choosing by thread count keeps results independent of it.</summary>
    internal static bool SharesB(int m, int n, int k) =>
        (long)m * n * k >= GemmBlocking.SharedBMinWork && m >= 8 * GemmBlocking.Mc
        && CpuParallel.AvailableThreads >= GemmBlocking.SharedBMinThreads;

    /// <summary>The shared-B loop nest (see the type's remarks): for each NC × KC block of B, pack it in parallel
    /// parts of whole micro-panels, then run its MC-row blocks as parallel chunks, each packing its own A block.
    /// </summary>
    private static void RunSharedB<TKernel>(GemmProblem problem)
        where TKernel : struct, IGemmMicroKernel
    {
        int mr = TKernel.Mr;
        int nr = TKernel.Nr;
        int kcMax = GemmBlocking.Even(problem.K, GemmBlocking.Kc, 1);
        int mcMax = GemmBlocking.Even(problem.M, GemmBlocking.Mc, mr);
        int ncMax = GemmBlocking.Even(problem.N, GemmBlocking.Nc, nr);
        int mBlocks = (problem.M + mcMax - 1) / mcMax;
        var shared = GemmScratch.RentShared(kcMax * ncMax);
        nint packed = (nint)shared.B;
        try
        {
            for (int jc = 0; jc < problem.N; jc += ncMax)
            {
                int j0 = jc, nc = Math.Min(ncMax, problem.N - jc);
                int panels = (nc + nr - 1) / nr, packParts = Math.Min(panels, GemmBlocking.MaxChunks);
                for (int pc = 0; pc < problem.K; pc += kcMax)
                {
                    int p0 = pc, kc = Math.Min(kcMax, problem.K - pc);
                    // Later k blocks add onto what the first one wrote.
                    float beta = pc == 0 ? problem.Beta : 1f;
                    CpuParallel.For(packParts, part =>
                    {
                        int first = panels * part / packParts * nr;
                        int end = Math.Min(nc, panels * (part + 1) / packParts * nr);
                        GemmPacking.PackB(problem.TransB, problem.B, problem.Ldb, p0, kc, j0 + first, end - first,
                            (float*)packed + ((nint)first * kc), nr, TKernel.Vw, problem.ReluB);
                    });
                    CpuParallel.For(mBlocks, block =>
                    {
                        int ic = block * mcMax, mc = Math.Min(mcMax, problem.M - ic);
                        var own = GemmScratch.Rent(kcMax * mcMax, 0);
                        try
                        {
                            GemmPacking.PackA(problem.TransA, problem.A, problem.Lda, ic, mc, p0, kc, own.A, mr);
                            Macro<TKernel>(mc, nc, kc, own.A, new BPanels((float*)packed, null, problem.Ldb),
                                problem.C + (ic * problem.Ldc) + j0, problem.Ldc, problem.Alpha, beta, own.Tile);
                        }
                        finally
                        {
                            GemmScratch.Return(own);
                        }
                    });
                }
            }
        }
        finally
        {
            GemmScratch.ReturnShared(shared);
        }
    }

    /// <summary>The chunk grid for <paramref name="threads"/> threads: one chunk for one thread (see the type's
    /// remarks), else keep halving the side whose slices are longer, because splitting N re-packs A and splitting M
    /// re-packs B, and the smaller operand is the cheaper one to pack twice.</summary>
    internal static (int MParts, int NParts) Grid(int m, int n, int k, int mr, int nr, int threads)
    {
        long work = (long)m * n * k;
        long target = threads <= 1 ? 1 : Math.Clamp(work / GemmBlocking.MinChunkWork, 1, GemmBlocking.MaxChunks);
        int mUnits = (m + mr - 1) / mr;
        int nUnits = (n + nr - 1) / nr;
        int mParts = 1;
        int nParts = 1;
        while ((long)mParts * nParts * 2 <= target)
        {
            bool canM = mUnits >= mParts * 2;
            bool canN = nUnits >= nParts * 2;
            if (canN && (!canM || (long)n * mParts >= (long)m * nParts))
            {
                nParts *= 2;
            }
            else if (canM)
            {
                mParts *= 2;
            }
            else
            {
                break;
            }
        }
        return (mParts, nParts);
    }

    private static void RunChunk<TKernel>(in GemmProblem problem, int chunk, int mParts, int nParts)
        where TKernel : struct, IGemmMicroKernel
    {
        int mr = TKernel.Mr;
        int nr = TKernel.Nr;
        int mUnits = (problem.M + mr - 1) / mr;
        int nUnits = (problem.N + nr - 1) / nr;
        int mi = chunk / nParts;
        int ni = chunk % nParts;
        int r0 = Math.Min(problem.M, (int)((long)mUnits * mi / mParts) * mr);
        int r1 = Math.Min(problem.M, (int)((long)mUnits * (mi + 1) / mParts) * mr);
        int c0 = Math.Min(problem.N, (int)((long)nUnits * ni / nParts) * nr);
        int c1 = Math.Min(problem.N, (int)((long)nUnits * (ni + 1) / nParts) * nr);
        if (r0 >= r1 || c0 >= c1)
        {
            return;
        }

        int kcMax = GemmBlocking.Even(problem.K, GemmBlocking.Kc, 1);
        int mcMax = GemmBlocking.Even(r1 - r0, GemmBlocking.Mc, mr);
        int ncMax = GemmBlocking.Even(c1 - c0, GemmBlocking.Nc, nr);
        // In place needs B not transposed (panel rows contiguous) and a stride that is not a multiple of 1 KiB, which
        // would map the KC rows of a panel onto a few L1 sets.
        // A fused ReLU on B happens in packing, so B is then always packed.
        bool readBInPlace = !problem.TransB && !problem.ReluB && r1 - r0 <= GemmBlocking.DirectBMaxRows
            && (problem.Ldb & 255) != 0;
        var scratch = GemmScratch.Rent(kcMax * mcMax, kcMax * ncMax);
        try
        {
            for (int jc = c0; jc < c1; jc += ncMax)
            {
                int nc = Math.Min(ncMax, c1 - jc);
                for (int pc = 0; pc < problem.K; pc += kcMax)
                {
                    int kc = Math.Min(kcMax, problem.K - pc);
                    // Later k blocks add onto what the first one wrote.
                    float beta = pc == 0 ? problem.Beta : 1f;
                    float* directB = null;
                    if (readBInPlace)
                    {
                        // Full panels are read from B itself; only a ragged last panel is packed (zero padding).
                        directB = problem.B + (pc * problem.Ldb) + jc;
                        int full = nc / nr * nr;
                        if (full < nc)
                        {
                            GemmPacking.PackB(false, problem.B, problem.Ldb, pc, kc, jc + full, nc - full, scratch.B,
                                nr, TKernel.Vw);
                        }
                    }
                    else
                    {
                        GemmPacking.PackB(problem.TransB, problem.B, problem.Ldb, pc, kc, jc, nc, scratch.B, nr,
                            TKernel.Vw, problem.ReluB);
                    }
                    for (int ic = r0; ic < r1; ic += mcMax)
                    {
                        int mc = Math.Min(mcMax, r1 - ic);
                        GemmPacking.PackA(problem.TransA, problem.A, problem.Lda, ic, mc, pc, kc, scratch.A, mr);
                        var panels = new BPanels(scratch.B, directB, problem.Ldb);
                        Macro<TKernel>(mc, nc, kc, scratch.A, panels, problem.C + (ic * problem.Ldc) + jc,
                            problem.Ldc, problem.Alpha, beta, scratch.Tile);
                    }
                }
            }
        }
        finally
        {
            GemmScratch.Return(scratch);
        }
    }

    /// <summary>One packed A block times one packed B block: B micro-panels outside (they stay in L1 while the A
    /// panels stream past from L2), A panels inside.</summary>
    private static void Macro<TKernel>(int mc, int nc, int kc, float* packedA, BPanels panels, float* c, nint ldc,
        float alpha, float beta, float* tile)
        where TKernel : struct, IGemmMicroKernel
    {
        int mr = TKernel.Mr;
        int nr = TKernel.Nr;
        int vw = TKernel.Vw;
        for (int jb = 0; jb < nc; jb += nr)
        {
            int cols = Math.Min(nr, nc - jb);
            int width = GemmPacking.PanelWidth(cols, nr, vw);
            float* bp;
            nint bStride;
            if (panels.Direct != null && cols == nr)
            {
                bp = panels.Direct + jb;
                bStride = panels.Ldb;
            }
            else
            {
                // Packed: panel jb of the block, or in place mode's one packed ragged panel.
                bp = panels.Packed + (panels.Direct != null ? 0 : (nint)jb * kc);
                bStride = width;
            }
            for (int ib = 0; ib < mc; ib += mr)
            {
                int rows = Math.Min(mr, mc - ib);
                float* ap = packedA + ((nint)ib * kc);
                float* cp = c + (ib * ldc) + jb;
                if (rows == mr && cols == width)
                {
                    Tile<TKernel>(kc, ap, bp, bStride, width, cols, cp, ldc, alpha, beta);
                }
                else
                {
                    // Cut by the matrix edge: compute the raw sums into scratch, then merge the valid corner.
                    Tile<TKernel>(kc, ap, bp, bStride, width, cols, tile, nr, 1f, 0f);
                    GemmTile.Merge(tile, nr, cp, ldc, rows, cols, alpha, beta);
                }
            }
        }
    }

    /// <summary>One MR-row tile of a B panel <paramref name="width"/> wide, of which <paramref name="cols"/> are
    /// real columns.</summary>
    private static void Tile<TKernel>(int kc, float* ap, float* bp, nint bStride, int width, int cols, float* c,
        nint ldc, float alpha, float beta)
        where TKernel : struct, IGemmMicroKernel
    {
        if (width == TKernel.Nr)
        {
            TKernel.Full(kc, ap, bp, bStride, c, ldc, alpha, beta);
            return;
        }
        for (int s = 0; s < width; s += TKernel.Vw)
        {
            int real = cols - s;
            if (real <= TKernel.NarrowColumns)
            {
                // Only the last strip can be this narrow; its padding columns are skipped, not computed.
                Columns<TKernel>(kc, ap, bp + s, bStride, c + s, ldc, alpha, beta, real);
                return;
            }
            TKernel.Strip(kc, ap, bp + s, bStride, c + s, ldc, alpha, beta);
        }
    }

    private static void Columns<TKernel>(int kc, float* ap, float* bp, nint bStride, float* c, nint ldc, float alpha,
        float beta, int count)
        where TKernel : struct, IGemmMicroKernel
    {
        float* sums = stackalloc float[TKernel.Mr];
        for (int j = 0; j < count; j++)
        {
            TKernel.Column(kc, ap, bp + j, bStride, sums);
            for (int r = 0; r < TKernel.Mr; r++)
            {
                float* dst = c + (r * ldc) + j;
                *dst = GemmTile.Combine(sums[r], alpha, beta, *dst);
            }
        }
    }
}
