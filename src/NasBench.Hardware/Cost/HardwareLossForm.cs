using System.Globalization;

namespace NasBench.Hardware.Cost;

/// <summary>The latency-loss forms of darts.md §3 as a pure function of (CE, LAT), with derivatives, so a search
/// strategy gets ∂L/∂α = ∂L/∂CE·∂CE/∂α + ∂L/∂LAT·∂LAT/∂α from the two gradients it already has.</summary>
/// <param name="Lambda">λ of the additive forms.</param>
/// <param name="Alpha">α (FBNet 0.2) or a (ProxylessNAS 0.2) of the multiplicative forms.</param>
/// <param name="Beta">β (FBNet 0.6) or b (ProxylessNAS 0.3) of the multiplicative forms.</param>
/// <param name="Reference">T, the reference latency of the ProxylessNAS forms (same unit as LAT).</param>
public sealed record HardwareLossForm(HardwareLossKind Kind, double Lambda = 0, double Alpha = 1, double Beta = 1,
    double Reference = 1)
{
    /// <summary>CE + λ·LAT.</summary>
    public static HardwareLossForm Additive(double lambda) => new(HardwareLossKind.Additive, Lambda: lambda);

    /// <summary>CE·α·(log LAT)^β with the paper's α = 0.2, β = 0.6 by default.</summary>
    public static HardwareLossForm FbNet(double alpha = 0.2, double beta = 0.6) =>
        new(HardwareLossKind.FbNetMultiplicative, Alpha: alpha, Beta: beta);

    /// <summary>α·CE·(log LAT / log T)^β with the reference code's a = 0.2, b = 0.3 by default.</summary>
    public static HardwareLossForm ProxylessMulLog(double reference, double alpha = 0.2, double beta = 0.3) =>
        new(HardwareLossKind.ProxylessMulLog, Alpha: alpha, Beta: beta, Reference: reference);

    /// <summary>CE + λ·(LAT − T)/T with the reference code's λ = 0.1 by default.</summary>
    public static HardwareLossForm ProxylessAddLinear(double reference, double lambda = 0.1) =>
        new(HardwareLossKind.ProxylessAddLinear, Lambda: lambda, Reference: reference);

    /// <summary>L and its partials at (<paramref name="crossEntropy"/>, <paramref name="latency"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A log form with LAT ≤ 1 or T ≤ 1 (the log must be positive for the
    /// power to be real; choose a unit where latencies exceed 1, as FBNet does with µs/ms), or T ≤ 0.</exception>
    public HardwareLossValue Evaluate(double crossEntropy, double latency)
    {
        switch (Kind)
        {
            case HardwareLossKind.Additive:
                return new HardwareLossValue(crossEntropy + (Lambda * latency), 1, Lambda);
            case HardwareLossKind.ProxylessAddLinear:
                RequirePositive(Reference, "reference latency T");
                return new HardwareLossValue(crossEntropy + (Lambda * (latency - Reference) / Reference), 1,
                    Lambda / Reference);
            case HardwareLossKind.FbNetMultiplicative:
            {
                RequireAboveOne(latency, "latency");
                double log = Math.Log(latency);
                double power = Math.Pow(log, Beta);
                return new HardwareLossValue(crossEntropy * Alpha * power, Alpha * power,
                    crossEntropy * Alpha * Beta * Math.Pow(log, Beta - 1) / latency);
            }
            case HardwareLossKind.ProxylessMulLog:
            {
                RequireAboveOne(latency, "latency");
                RequireAboveOne(Reference, "reference latency T");
                double logT = Math.Log(Reference);
                double ratio = Math.Log(latency) / logT;
                double power = Math.Pow(ratio, Beta);
                return new HardwareLossValue(Alpha * crossEntropy * power, Alpha * power,
                    Alpha * crossEntropy * Beta * Math.Pow(ratio, Beta - 1) / (latency * logT));
            }
            default:
                throw new InvalidOperationException($"Unknown hardware loss kind {Kind}.");
        }
    }

    /// <summary>Parses <c>additive[:λ]</c>, <c>fbnet[:α:β]</c>, <c>mul#log[:a:b]</c>, <c>add#linear[:λ]</c>; the
    /// ProxylessNAS forms take T from <paramref name="reference"/>.</summary>
    /// <exception cref="FormatException">Unknown form or a bad number; the message lists the forms.</exception>
    public static HardwareLossForm Parse(string text, double lambda = 0.1, double reference = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Split(':');
        double Arg(int i, double fallback) => parts.Length > i
            ? double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
                ? v
                : throw new FormatException($"Loss form '{text}': '{parts[i]}' is not a number.")
            : fallback;
        return parts[0].ToLowerInvariant() switch
        {
            "additive" or "add" => Additive(Arg(1, lambda)),
            "fbnet" => FbNet(Arg(1, 0.2), Arg(2, 0.6)),
            "mul#log" or "proxyless-mul" => ProxylessMulLog(reference, Arg(1, 0.2), Arg(2, 0.3)),
            "add#linear" or "proxyless-add" => ProxylessAddLinear(reference, Arg(1, lambda)),
            _ => throw new FormatException(
                $"Unknown latency loss form '{text}'; expected additive[:λ], fbnet[:α:β], mul#log[:a:b] or "
                + "add#linear[:λ]."),
        };
    }

    private static void RequireAboveOne(double value, string name)
    {
        if (!(value > 1))
        {
            throw new ArgumentOutOfRangeException(name, value,
                $"The {name} must exceed 1 for the log form (log must be positive); express it in a smaller unit.");
        }
    }

    private static void RequirePositive(double value, string name)
    {
        if (!(value > 0))
        {
            throw new ArgumentOutOfRangeException(name, value, $"The {name} must be positive.");
        }
    }
}
