namespace NasBench.Hardware.Cost;

/// <summary>How the hardware cost enters the architecture loss (darts.md §3).</summary>
public enum HardwareLossKind
{
    /// <summary>LA-DARTS / EG-DARTS: L = CE + λ·LAT.</summary>
    Additive,

    /// <summary>FBNet (paper Eq. 2): L = CE·α·(log LAT)^β, LAT &gt; 1.</summary>
    FbNetMultiplicative,

    /// <summary>ProxylessNAS <c>mul#log</c>: L = α·CE·(log LAT / log T)^β, LAT, T &gt; 1.</summary>
    ProxylessMulLog,

    /// <summary>ProxylessNAS <c>add#linear</c>: L = CE + λ·(LAT − T)/T.</summary>
    ProxylessAddLinear,
}
