namespace NasBench.Tensors;

/// <summary>The kind of memory a tensor's storage lives in.</summary>
public enum DeviceType
{
    Cpu,
    Cuda,
}

/// <summary>Where a tensor's storage lives: a device type and an ordinal (TorchSharp's <c>torch.Device</c>).</summary>
/// <remarks>Only <see cref="Cpu"/> is backed today; the type carries an index so <c>cuda:0</c>, <c>cuda:1</c> can be
/// added without changing signatures.</remarks>
public readonly record struct Device(DeviceType Type, int Index = 0)
{
    /// <summary>The host CPU, always present.</summary>
    public static readonly Device Cpu = new(DeviceType.Cpu);

    /// <summary>Parses <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    public static Device Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Equals("cpu", StringComparison.OrdinalIgnoreCase))
        {
            return Cpu;
        }
        if (text.StartsWith("cuda", StringComparison.OrdinalIgnoreCase))
        {
            int index = text.Length > 5 && text[4] == ':'
                ? int.Parse(text.AsSpan(5), System.Globalization.CultureInfo.InvariantCulture)
                : 0;
            return new Device(DeviceType.Cuda, index);
        }
        throw new FormatException($"Unknown device '{text}': expected 'cpu', 'cuda' or 'cuda:N'.");
    }

    public override string ToString() => Type == DeviceType.Cpu ? "cpu" : $"cuda:{Index}";
}
