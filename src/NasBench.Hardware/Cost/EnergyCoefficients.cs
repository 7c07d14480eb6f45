using System.Globalization;
using System.Text.Json;

namespace NasBench.Hardware.Cost;

/// <summary>Per-MAC and per-byte energies of a target for <see cref="EnergyCostModel"/>.</summary>
/// <param name="Target">Target the figures are meant for.</param>
/// <param name="PicojoulesPerMac">Energy of one float32 multiply-accumulate (pJ).</param>
/// <param name="PicojoulesPerByte">Energy of moving one byte between memory and the core (pJ).</param>
/// <param name="Source">Where the figures come from (a paper, a datasheet, a measurement).</param>
public sealed record EnergyCoefficients(string Target, double PicojoulesPerMac, double PicojoulesPerByte,
    string Source)
{
    /// <summary>Horowitz, "Computing's energy problem" (ISSCC 2014), 45 nm: float32 multiply 3.7 pJ + add 0.9 pJ =
    /// 4.6 pJ per MAC; a 32-bit DRAM access ≈ 640 pJ = 160 pJ per byte. Used for the CPU targets as an
    /// order-of-magnitude model: it ignores instruction overhead, caches (an 8 KB SRAM read is ≈ 1.25 pJ/byte) and
    /// process node, so it ranks operations by arithmetic vs data movement, not by joules on this machine.</summary>
    public static EnergyCoefficients Horowitz45nm(string target) => new(target, 4.6, 160,
        "Horowitz, ISSCC 2014, 45 nm: fp32 mult 3.7 pJ + add 0.9 pJ; DRAM 640 pJ / 32 bit");

    /// <summary>Reads <c>{"target", "picojoulesPerMac", "picojoulesPerByte", "source"}</c>.</summary>
    /// <exception cref="FormatException">Missing or non-positive field; names the file and the field.</exception>
    public static EnergyCoefficients Read(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        double Positive(string name) =>
            root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.GetDouble() > 0
                ? v.GetDouble()
                : throw new FormatException($"{path}: '{name}' must be a number > 0.");
        string Text(string name, string fallback) =>
            root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : fallback;
        return new EnergyCoefficients(Text("target", Path.GetFileNameWithoutExtension(path)),
            Positive("picojoulesPerMac"), Positive("picojoulesPerByte"), Text("source", path));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Target}: {PicojoulesPerMac} pJ/MAC, {PicojoulesPerByte} pJ/byte ({Source})");
}
