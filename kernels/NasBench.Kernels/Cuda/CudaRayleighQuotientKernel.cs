using NasBench.Kernels.Backends.Cuda;

namespace NasBench.Kernels.Cuda;

/// <summary>Batched Rayleigh-quotient eigen-estimation on a CUDA device (<c>RayleighQuotient.cu</c>); the GPU twin of
/// the CPU <c>RayleighQuotientKernel</c>.</summary>
/// <remarks>
/// Shapes: S is [batch, d, d] row-major, each matrix symmetric; V and S·V are [batch, d]; λ is [batch].
/// One step per matrix: <c>u = S·v</c>, <c>λ = vᵀu / vᵀv</c>, <c>v ← v − η·2(u − λv)/vᵀv</c>, then v is renormalised to
/// unit length; the λ written is that of the pre-update v. One thread block per matrix reads S once per step.
/// A zero vector stays zero with λ = 0. d is limited by shared memory (2·d floats per block).
/// </remarks>
public sealed class CudaRayleighQuotientKernel
{
    private const int BlockSize = 256;
    private readonly CudaDevice _device;
    private readonly CudaKernel _quotient;
    private readonly CudaKernel _step;
    private readonly CudaKernel _stepFromProducts;

    public CudaRayleighQuotientKernel(CudaDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        _device = device;
        CudaModule module = device.GetEmbeddedModule("RayleighQuotient.cu");
        _quotient = module.GetKernel("rq_quotient");
        _step = module.GetKernel("rq_step");
        _stepFromProducts = module.GetKernel("rq_step_from_products");
    }

    /// <summary>λ_b = vᵀSv / vᵀv for every b.</summary>
    public void Quotient(int batch, int d, CudaBuffer<float> s, CudaBuffer<float> v, CudaBuffer<float> lambda)
    {
        if (Check(batch, d, s, v, lambda))
        {
            _quotient.Launch(Launch(batch, d), s.DevicePointer, v.DevicePointer, d, lambda.DevicePointer);
        }
    }

    /// <summary>One fused gradient step per matrix (see remarks); updates <paramref name="v"/> in place.</summary>
    public void Step(int batch, int d, CudaBuffer<float> s, CudaBuffer<float> v, float stepSize,
        CudaBuffer<float> lambda)
    {
        if (Check(batch, d, s, v, lambda))
        {
            _step.Launch(Launch(batch, d), s.DevicePointer, v.DevicePointer, d, stepSize, lambda.DevicePointer);
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
