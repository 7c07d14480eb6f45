using System.Text;
using System.Text.Json;
using NasBench.Hardware.Targets;

namespace NasBench.Hardware.Latency;

/// <summary>The JSON form of a latency table (docs/latency.md): <c>{ "schema", "schemaVersion", "space", "unit",
/// "target": {fingerprint}, "entries": [ {op, cin, cout, h, w, stride, kernel, dilation, batch, key, medianMs, iqrMs,
/// samples} ] }</c>.</summary>
public static class LatencyTableJson
{
    public const string SchemaName = "nasbench.latency-table";

    public static void Write(LatencyTable table, string path)
    {
        ArgumentNullException.ThrowIfNull(table);
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        // Write then rename, so a crash mid-write never leaves a truncated table where a good one was.
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, ToJson(table), new UTF8Encoding(false));
        File.Move(temporary, path, overwrite: true);
    }

    public static string ToJson(LatencyTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("schema", SchemaName);
            w.WriteNumber("schemaVersion", LatencyTable.SchemaVersion);
            w.WriteString("space", table.Space);
            w.WriteString("unit", "ms");
            var f = table.Fingerprint;
            w.WriteStartObject("target");
            w.WriteString("name", f.Target);
            w.WriteString("device", f.Device);
            w.WriteNumber("coresUsed", f.CoresUsed);
            w.WriteNumber("simdWidthBits", f.SimdWidthBits);
            w.WriteString("runtime", f.Runtime);
            w.WriteString("os", f.Os);
            if (f.Gpu is not null)
            {
                w.WriteString("gpu", f.Gpu);
                w.WriteString("gpuDriver", f.GpuDriver);
            }
            w.WriteString("clock", f.Clock);
            w.WriteString("fingerprint", f.Key);
            w.WriteEndObject();
            w.WriteStartArray("entries");
            foreach (var e in table.Entries)
            {
                var o = e.Operation;
                w.WriteStartObject();
                w.WriteString("key", o.Key);
                w.WriteString("op", o.Operation);
                w.WriteNumber("cin", o.InChannels);
                w.WriteNumber("cout", o.OutChannels);
                w.WriteNumber("h", o.Height);
                w.WriteNumber("w", o.Width);
                w.WriteNumber("stride", o.Stride);
                w.WriteNumber("kernel", o.Kernel);
                w.WriteNumber("dilation", o.Dilation);
                w.WriteNumber("batch", o.Batch);
                w.WriteNumber("medianMs", e.MedianMs);
                w.WriteNumber("iqrMs", e.IqrMs);
                w.WriteNumber("samples", e.Samples);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <exception cref="LatencyTableFormatException">Not JSON, another schema or version, or a malformed entry; the
    /// message names <paramref name="path"/> and the entry.</exception>
    public static LatencyTable Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LatencyTableFormatException($"{path}: cannot read the latency table: {e.Message}", e);
        }
        return Parse(text, path);
    }

    /// <param name="source">File name used in error messages.</param>
    public static LatencyTable Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new LatencyTableFormatException($"{source}: not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new LatencyTableFormatException($"{source}: expected a JSON object at the top level.");
            }
            string schema = String(root, "schema", source, "top level");
            if (schema != SchemaName)
            {
                throw new LatencyTableFormatException(
                    $"{source}: schema is '{schema}'; expected '{SchemaName}'.");
            }
            int version = Int(root, "schemaVersion", source, "top level");
            if (version != LatencyTable.SchemaVersion)
            {
                throw new LatencyTableFormatException(
                    $"{source}: schemaVersion is {version}; this build reads version {LatencyTable.SchemaVersion}.");
            }
            string unit = OptionalString(root, "unit") ?? "ms";
            if (unit != "ms")
            {
                throw new LatencyTableFormatException($"{source}: unit is '{unit}'; expected 'ms'.");
            }
            var target = Member(root, "target", JsonValueKind.Object, source, "top level");
            var fingerprint = new TargetFingerprint(
                String(target, "name", source, "target"),
                String(target, "device", source, "target"),
                Int(target, "coresUsed", source, "target"),
                Int(target, "simdWidthBits", source, "target"),
                String(target, "runtime", source, "target"),
                String(target, "os", source, "target"),
                OptionalString(target, "gpu"),
                OptionalString(target, "gpuDriver"),
                OptionalString(target, "clock") ?? TargetFingerprint.WallClock);
            var entries = new List<LatencyEntry>();
            int index = 0;
            foreach (var e in Member(root, "entries", JsonValueKind.Array, source, "top level").EnumerateArray())
            {
                string where = $"entries[{index}]";
                if (e.ValueKind != JsonValueKind.Object)
                {
                    throw new LatencyTableFormatException($"{source}: {where} is not an object.");
                }
                var op = new OperationConfig(
                    String(e, "op", source, where), Int(e, "cin", source, where), Int(e, "cout", source, where),
                    Int(e, "h", source, where), Int(e, "w", source, where), Int(e, "stride", source, where),
                    Int(e, "kernel", source, where), Int(e, "dilation", source, where), Int(e, "batch", source, where));
                where = $"entries[{index}] '{op.Key}'";
                string? key = OptionalString(e, "key");
                if (key is not null && key != op.Key)
                {
                    throw new LatencyTableFormatException(
                        $"{source}: {where}: key '{key}' does not match its fields (expected '{op.Key}').");
                }
                double median = Double(e, "medianMs", source, where);
                if (!double.IsFinite(median) || median <= 0)
                {
                    throw new LatencyTableFormatException(
                        $"{source}: {where}: medianMs is {median}; expected a finite value > 0.");
                }
                double iqr = e.TryGetProperty("iqrMs", out var iqrElement) ? Number(iqrElement, "iqrMs", source, where) : 0;
                int samples = e.TryGetProperty("samples", out _) ? Int(e, "samples", source, where) : 0;
                entries.Add(new LatencyEntry(op, median, iqr, samples));
                index++;
            }
            return new LatencyTable(fingerprint, OptionalString(root, "space") ?? "", entries, source);
        }
    }

    private static JsonElement Member(JsonElement parent, string name, JsonValueKind kind, string source, string where)
    {
        if (!parent.TryGetProperty(name, out var value))
        {
            throw new LatencyTableFormatException($"{source}: {where}: missing '{name}'.");
        }
        if (value.ValueKind != kind)
        {
            throw new LatencyTableFormatException(
                $"{source}: {where}: '{name}' is {value.ValueKind}; expected {kind}.");
        }
        return value;
    }

    private static string String(JsonElement parent, string name, string source, string where) =>
        Member(parent, name, JsonValueKind.String, source, where).GetString()!;

    private static string? OptionalString(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int Int(JsonElement parent, string name, string source, string where)
    {
        var v = Member(parent, name, JsonValueKind.Number, source, where);
        return v.TryGetInt32(out int i)
            ? i
            : throw new LatencyTableFormatException($"{source}: {where}: '{name}' is {v}; expected an integer.");
    }

    private static double Double(JsonElement parent, string name, string source, string where) =>
        Number(Member(parent, name, JsonValueKind.Number, source, where), name, source, where);

    private static double Number(JsonElement value, string name, string source, string where) =>
        value.ValueKind == JsonValueKind.Number
            ? value.GetDouble()
            : throw new LatencyTableFormatException(
                $"{source}: {where}: '{name}' is {value.ValueKind}; expected a number.");
}
