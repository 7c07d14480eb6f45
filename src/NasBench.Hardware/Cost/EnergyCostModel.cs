namespace NasBench.Hardware.Cost;

/// <summary>Energy of one forward pass of an operation for one sample, as a model:
/// E = e_MAC·MACs + e_byte·(4·parameters + 2·activation bytes), in µJ.</summary>
/// <remarks>Bytes moved count the weights read once and the activations written once and read once by the next
/// operation (float32). The coefficients are per target and documented with their source
/// (<see cref="EnergyCoefficients"/>); this is a model, not a measurement.</remarks>
public sealed class EnergyCostModel(IOperationAnalyzer analyzer, EnergyCoefficients coefficients) : ICostModel
{
    public EnergyCoefficients Coefficients { get; } =
        coefficients ?? throw new ArgumentNullException(nameof(coefficients));

    public string Name => $"energy:{Coefficients.Target}";

    public string Unit => "µJ";

    public double Cost(OperationConfig operation)
    {
        var counts = analyzer.Count(operation with { Batch = 1 });
        double bytes = (4.0 * counts.Parameters) + (2.0 * counts.ActivationBytes);
        return ((Coefficients.PicojoulesPerMac * counts.Macs) + (Coefficients.PicojoulesPerByte * bytes)) * 1e-6;
    }
}
