using System.Text.Json;

namespace NasBench.Search.Splitting.Networks;

/// <summary>The architecture of a growable network: input shape, classes and the ordered units with their current
/// widths. Round-trips through JSON so a run can be resumed from its checkpoint.</summary>
public sealed record NetworkSpec(string Name, int InChannels, int Height, int Width, int Classes,
    IReadOnlyList<UnitSpec> Units)
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, Options);

    /// <exception cref="FormatException">The text is not a network spec; the message names <paramref name="source"/>.
    /// </exception>
    public static NetworkSpec FromJson(string json, string source = "network spec")
    {
        try
        {
            return JsonSerializer.Deserialize<NetworkSpec>(json, Options)
                ?? throw new FormatException($"{source}: expected a network spec object, got null.");
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source}: not a valid network spec ({e.Message}).", e);
        }
    }
}
