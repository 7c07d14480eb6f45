using System.Text;
using System.Text.Json;

namespace NasBench.Search.Darts;

/// <summary>Canonical JSON for <see cref="Genotype"/>: fixed key order, so equal genotypes give identical bytes.</summary>
/// <remarks>
/// <code>{"normal":[{"op":"sep_conv_3x3","input":0},…],"normal_concat":[2,3,4,5],"reduce":[…],"reduce_concat":[2,3,4,5]}</code>
/// Keys use the reference code's snake_case field names so the file reads like the literature's genotypes.
/// </remarks>
public static class GenotypeJson
{
    public static string Serialize(Genotype genotype, bool indented = false)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
        {
            w.WriteStartObject();
            WriteEdges(w, "normal", genotype.Normal);
            WriteInts(w, "normal_concat", genotype.NormalConcat);
            WriteEdges(w, "reduce", genotype.Reduce);
            WriteInts(w, "reduce_concat", genotype.ReduceConcat);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Parses canonical JSON; <paramref name="source"/> (a file name) is quoted in errors.</summary>
    /// <exception cref="GenotypeFormatException">Malformed JSON, a missing field, or an invalid architecture.</exception>
    public static Genotype Deserialize(string json, string source = "genotype JSON")
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new GenotypeFormatException($"{source}: expected a JSON object, found {root.ValueKind}.");
            }
            return new Genotype(ReadEdges(root, "normal", source), ReadInts(root, "normal_concat", source),
                ReadEdges(root, "reduce", source), ReadInts(root, "reduce_concat", source));
        }
        catch (JsonException e)
        {
            throw new GenotypeFormatException($"{source}: not valid JSON ({e.Message}).", e);
        }
        catch (GenotypeFormatException e) when (!e.Message.StartsWith(source, StringComparison.Ordinal))
        {
            throw new GenotypeFormatException($"{source}: {e.Message}", e);
        }
    }

    private static void WriteEdges(Utf8JsonWriter w, string name, IReadOnlyList<GenotypeEdge> edges)
    {
        w.WriteStartArray(name);
        foreach (var e in edges)
        {
            w.WriteStartObject();
            w.WriteString("op", e.Operation);
            w.WriteNumber("input", e.Input);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteInts(Utf8JsonWriter w, string name, IReadOnlyList<int> values)
    {
        w.WriteStartArray(name);
        foreach (int v in values)
        {
            w.WriteNumberValue(v);
        }
        w.WriteEndArray();
    }

    private static JsonElement Field(JsonElement obj, string name, JsonValueKind kind, string where)
    {
        if (!obj.TryGetProperty(name, out var value))
        {
            throw new GenotypeFormatException($"{where}: missing field '{name}'.");
        }
        if (value.ValueKind != kind)
        {
            throw new GenotypeFormatException($"{where}: field '{name}' must be {kind}, found {value.ValueKind}.");
        }
        return value;
    }

    private static List<GenotypeEdge> ReadEdges(JsonElement root, string name, string source)
    {
        var list = new List<GenotypeEdge>();
        int i = 0;
        foreach (var item in Field(root, name, JsonValueKind.Array, source).EnumerateArray())
        {
            string where = $"{source}: {name}[{i++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new GenotypeFormatException($"{where} must be an object {{\"op\": ..., \"input\": ...}}.");
            }
            string op = Field(item, "op", JsonValueKind.String, where).GetString()!;
            var input = Field(item, "input", JsonValueKind.Number, where);
            if (!input.TryGetInt32(out int index))
            {
                throw new GenotypeFormatException($"{where}: 'input' must be an integer, found {input.GetRawText()}.");
            }
            list.Add(new GenotypeEdge(op, index));
        }
        return list;
    }

    private static List<int> ReadInts(JsonElement root, string name, string source)
    {
        var list = new List<int>();
        foreach (var item in Field(root, name, JsonValueKind.Array, source).EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out int v))
            {
                throw new GenotypeFormatException($"{source}: {name} must hold integers, found {item.GetRawText()}.");
            }
            list.Add(v);
        }
        return list;
    }
}
