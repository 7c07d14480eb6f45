using NasBench.Kernels.Backends.Cuda;

namespace NasBench.Kernels.Cuda;

/// <summary>Batched Rayleigh-quotient eigen-estimation on a CUDA device (<c>RayleighQuotient.cu</c>); the GPU twin of
/// the CPU <c>RayleighQuotientKernel</c>.</summary>
/// <remarks>
/// Shapes: S is [batch, d, d] row-major, each matrix symmetric; V and S·V are [batch, d]; λ is [batch].
/// One step per matrix: <c>u = S·v</c>, <c>λ = vᵀu / vᵀv</c>, <c>v ← v − η·2(u − λv)/vᵀv</c>, then v is renormalised to
/// unit length; the λ written is that of the pre-update v. S is read once per step, by several blocks per matrix
/// (<c>rq_products</c> forms S·v into a scratch buffer this object keeps), then one block per matrix finishes the step.
/// A zero vector stays zero with λ = 0. d is limited by shared memory (2·d floats per block). Not thread-safe: the
/// scratch buffer is shared by the calls of one instance.
/// </remarks>
public sealed class CudaRayleighQuotientKernel : IDisposable
{
    private const int BlockSize = 256;

    /// <summary>Rows of S per block of <c>rq_products</c>: two per warp, so a batch of 64 matrices at d = 144 already
    /// makes 576 blocks, and staging v costs a block d floats against 16·d of S.</summary>
    private const int RowsPerBlock = 16;

    private readonly CudaDevice _device;
    private readonly CudaKernel _products;
    private readonly CudaKernel _quotientFromProducts;
    private readonly CudaKernel _stepFromProducts;
    private CudaBuffer<float>? _scratch;

    public CudaRayleighQuotientKernel(CudaDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        _device = device;
        CudaModule module = device.GetEmbeddedModule("RayleighQuotient.cu");
        _products = module.GetKernel("rq_products");
        _quotientFromProducts = module.GetKernel("rq_quotient_from_products");
        _stepFromProducts = module.GetKernel("rq_step_from_products");
    }

    /// <summary>λ_b = vᵀSv / vᵀv for every b.</summary>
    public void Quotient(int batch, int d, CudaBuffer<float> s, CudaBuffer<float> v, CudaBuffer<float> lambda)
    {
        if (Check(batch, d, s, v, lambda))
        {
            CudaBuffer<float> sv = Products(batch, d, s, v);
            _quotientFromProducts.Launch(Launch(batch, d), v.DevicePointer, sv.DevicePointer, d,
                lambda.DevicePointer);
        }
    }

    /// <summary>One fused gradient step per matrix (see remarks); updates <paramref name="v"/> in place.</summary>
    public void Step(int batch, int d, CudaBuffer<float> s, CudaBuffer<float> v, float stepSize,
        CudaBuffer<float> lambda)
    {
        if (Check(batch, d, s, v, lambda))
        {
            CudaBuffer<float> sv = Products(batch, d, s, v);
            _stepFromProducts.Launch(Launch(batch, d), v.DevicePointer, sv.DevicePointer, d, stepSize,
                lambda.DevicePointer);
        }
    }

    /// <summary>The same step with the products <paramref name="sv"/> = S·v supplied (from back-propagation).</summary>
    public void StepFromProducts(int batch, int d, CudaBuffer<float> v, CudaBuffer<float> sv, float stepSize,
        CudaBuffer<float> lambda)
    {
        CheckShape(batch, d);
        CudaChecks.Length(v, (long)batch * d, nameof(v));
        CudaChecks.Length(sv, (long)batch * d, nameof(sv));
        CudaChecks.Length(lambda, batch, nameof(lambda));
        if (batch > 0 && d > 0)
        {
            _stepFromProducts.Launch(Launch(batch, d), v.DevicePointer, sv.DevicePointer, d, stepSize,
                lambda.DevicePointer);
        }
    }

    /// <summary><paramref name="iterations"/> steps; <paramref name="lambda"/> ends as the λ before the last one.
    /// </summary>
    public void Iterate(int batch, int d, CudaBuffer<float> s, CudaBuffer<float> v, float stepSize, int iterations,
        CudaBuffer<float> lambda)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(iterations);
        for (int i = 0; i < iterations; i++)
        {
            Step(batch, d, s, v, stepSize, lambda);
        }
    }

    public void Dispose()
    {
        _scratch?.Dispose();
        _scratch = null;
    }

    /// <summary>Launches S·v into the scratch buffer (grown on demand) and returns it.</summary>
    private CudaBuffer<float> Products(int batch, int d, CudaBuffer<float> s, CudaBuffer<float> v)
    {
        int length = batch * d;
        if (_scratch is null || _scratch.Length < length)
        {
            _scratch?.Dispose();
            _scratch = _device.Allocate<float>(length);
        }
        int chunks = (d + RowsPerBlock - 1) / RowsPerBlock;
        var launch = new CudaLaunch((uint)batch, (uint)chunks, 1, BlockSize, 1, 1, (uint)(d * sizeof(float)));
        _products.Launch(launch, s.DevicePointer, v.DevicePointer, d, RowsPerBlock, _scratch.DevicePointer);
        return _scratch;
    }

    private bool Check(int batch, int d, CudaBuffer<float> s, CudaBuffer<float> v, CudaBuffer<float> lambda)
    {
        CheckShape(batch, d);
        CudaChecks.Length(s, (long)batch * d * d, nameof(s));
        CudaChecks.Length(v, (long)batch * d, nameof(v));
        CudaChecks.Length(lambda, batch, nameof(lambda));
        return batch > 0 && d > 0;
    }

    private void CheckShape(int batch, int d)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(d);
        // Leave room for the kernels' static shared memory (a few hundred bytes of reduction scratch).
        long maxD = (_device.MaxSharedMemoryPerBlock - 1024) / (2 * sizeof(float));
        if (d > maxD)
        {
            throw new ArgumentOutOfRangeException(nameof(d), d,
                $"d = {d} needs {2L * d * sizeof(float)} bytes of shared memory; {_device.Name} allows d ≤ {maxD}.");
        }
    }

    private static CudaLaunch Launch(int batch, int d) => CudaLaunch.Blocks(batch, BlockSize, 2 * d * sizeof(float));
}
