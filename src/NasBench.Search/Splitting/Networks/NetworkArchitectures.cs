namespace NasBench.Search.Splitting.Networks;

/// <summary>The seed and reference architectures of the growth runs (issue 5 §6): small MobileNetV1-like and VGG-like
/// networks for 28×28 and 32×32 inputs.</summary>
public static class NetworkArchitectures
{
    /// <summary>Strides of the six depthwise-separable blocks: 28 → 14 → 7 → 4 (32 → 16 → 8 → 4).</summary>
    private static readonly int[] MobileNetStrides = [1, 2, 1, 2, 1, 2];

    /// <summary>Widths of the reference (width multiplier 1) MobileNet: the first conv and six pointwise convs.
    /// </summary>
    public static IReadOnlyList<int> MobileNetBaseWidths { get; } = [16, 32, 64, 64, 128, 128, 256];

    /// <summary>Widths of the reference VGG: four 3×3 convs and one hidden fully connected layer.</summary>
    public static IReadOnlyList<int> VggBaseWidths { get; } = [32, 64, 128, 128, 128];

    /// <summary>Network names accepted by the <c>Create</c> overloads.</summary>
    public static IReadOnlyList<string> Names { get; } = ["mobilenet", "vgg"];

    /// <summary>The network <paramref name="name"/> with its base widths scaled by <paramref name="multiplier"/>
    /// (rounded, at least 1).</summary>
    public static NetworkSpec Create(string name, int inChannels, int height, int width, int classes,
        double multiplier)
    {
        var widths = BaseWidths(name).Select(w => Math.Max(1, (int)Math.Round(w * multiplier))).ToArray();
        return Create(name, inChannels, height, width, classes, widths);
    }

    /// <summary>The network <paramref name="name"/> with explicit widths (7 for mobilenet, 5 for vgg).</summary>
    /// <exception cref="ArgumentException">Unknown name or wrong number of widths.</exception>
    public static NetworkSpec Create(string name, int inChannels, int height, int width, int classes,
        IReadOnlyList<int> widths)
    {
        ArgumentNullException.ThrowIfNull(widths);
        int expected = BaseWidths(name).Count;
        if (widths.Count != expected)
        {
            throw new ArgumentException($"Network '{name}' needs {expected} widths, got {widths.Count}.",
                nameof(widths));
        }
        var units = new List<UnitSpec>();
        if (name == "mobilenet")
        {
            units.Add(new(UnitKinds.Conv, widths[0], 3, 1));
            for (int b = 0; b < MobileNetStrides.Length; b++)
            {
                units.Add(new(UnitKinds.Depthwise, 0, 3, MobileNetStrides[b]));
                units.Add(new(UnitKinds.Conv, widths[b + 1], 1, 1));
            }
            units.Add(new(UnitKinds.GlobalPool));
        }
        else
        {
            units.Add(new(UnitKinds.Conv, widths[0], 3, 1));
            units.Add(new(UnitKinds.MaxPool));
            units.Add(new(UnitKinds.Conv, widths[1], 3, 1));
            units.Add(new(UnitKinds.MaxPool));
            units.Add(new(UnitKinds.Conv, widths[2], 3, 1));
            units.Add(new(UnitKinds.Conv, widths[3], 3, 1));
            units.Add(new(UnitKinds.MaxPool));
            units.Add(new(UnitKinds.GlobalPool));
            units.Add(new(UnitKinds.Linear, widths[4]));
        }
        units.Add(new(UnitKinds.Classifier, classes));
        return new NetworkSpec(name, inChannels, height, width, classes, units);
    }

    private static IReadOnlyList<int> BaseWidths(string name) => name switch
    {
        "mobilenet" => MobileNetBaseWidths,
        "vgg" => VggBaseWidths,
        _ => throw new ArgumentException($"Unknown network '{name}'; expected one of: {string.Join(", ", Names)}.",
            nameof(name)),
    };
}
