namespace NasBench.Tensors;

/// <summary>A seeded pseudo-random source (xoshiro256**, seeded through SplitMix64). Every random operation in the
/// engine takes one, so a run is reproduced by its seed alone.</summary>
/// <remarks>Normal deviates use the Box–Muller transform in double precision; the second deviate of each pair is
/// kept for the next call. Not thread-safe: give each thread its own generator.</remarks>
public sealed class Generator
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareNormal;
    private bool _hasSpare;

    public Generator(ulong seed)
    {
        Seed = seed;
        ulong x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>The seed this generator started from.</summary>
    public ulong Seed { get; }

    /// <summary>The next 64 uniformly distributed bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, 1) with 24 random bits (every value exactly representable).</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>Uniform integer in [0, maxExclusive), without modulo bias (Lemire's method).</summary>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        ulong m = (ulong)(uint)(NextUInt64() >> 32) * (uint)maxExclusive;
        uint low = (uint)m;
        if (low < (uint)maxExclusive)
        {
            uint threshold = (uint)-maxExclusive % (uint)maxExclusive;
            while (low < threshold)
            {
                m = (ulong)(uint)(NextUInt64() >> 32) * (uint)maxExclusive;
                low = (uint)m;
            }
        }
        return (int)(m >> 32);
    }

    /// <summary>A standard normal deviate.</summary>
    public double NextNormal()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spareNormal;
        }
        // 1 − U keeps the logarithm's argument in (0, 1].
        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        double theta = 2.0 * Math.PI * u2;
        _spareNormal = r * Math.Sin(theta);
        _hasSpare = true;
        return r * Math.Cos(theta);
    }

    /// <summary>Fills <paramref name="target"/> with uniform values in [low, high).</summary>
    public void FillUniform(Span<float> target, float low = 0f, float high = 1f)
    {
        double span = (double)high - low;
        for (int i = 0; i < target.Length; i++)
        {
            target[i] = (float)(low + (NextDouble() * span));
        }
    }

    /// <summary>Fills <paramref name="target"/> with normal values of the given mean and standard deviation.</summary>
    public void FillNormal(Span<float> target, float mean = 0f, float std = 1f)
    {
        for (int i = 0; i < target.Length; i++)
        {
            target[i] = (float)(mean + (std * NextNormal()));
        }
    }

    /// <summary>A new generator whose stream is independent of this one's, for handing to a sub-component.</summary>
    public Generator Fork() => new(NextUInt64());

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
