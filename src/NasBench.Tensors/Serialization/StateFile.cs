using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using NasBench.Tensors.Nn;

namespace NasBench.Tensors.Serialization;

/// <summary>Reads and writes module state in a safetensors-like file.</summary>
/// <remarks>
/// Layout (all little-endian):
/// <list type="number">
/// <item><description>8 bytes: unsigned 64-bit length N of the header.</description></item>
/// <item><description>N bytes: UTF-8 JSON object. Each tensor is a member
/// <c>"name": {"dtype": "F32", "shape": [d0, d1, ...], "data_offsets": [begin, end]}</c>, offsets in bytes relative
/// to the start of the data section, end exclusive. The optional member <c>"__metadata__"</c> maps strings to
/// strings (this writer adds <c>"format": "nasbench-state"</c> and <c>"version": "1"</c>). The header is padded with
/// spaces to a multiple of 8 bytes.</description></item>
/// <item><description>The data section: each tensor's values as raw float32, row-major, packed in header order.
/// </description></item>
/// </list>
/// The format is safetensors' with only F32, so files open with the <c>safetensors</c> Python package. Reading
/// validates everything and throws <see cref="StateFileException"/> naming the file, the tensor, the expected and
/// the actual value. See <c>docs/state-format.md</c>.
/// </remarks>
public static class StateFile
{
    private const string MetadataKey = "__metadata__";

    /// <summary>Largest header accepted; larger lengths are treated as corruption rather than allocated.</summary>
    private const long MaxHeaderBytes = 100L * 1024 * 1024;

    /// <summary>Writes <paramref name="tensors"/> (name → tensor) with optional string metadata.</summary>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var list = tensors.ToList();
        using var headerStream = new MemoryStream();
        using (var json = new Utf8JsonWriter(headerStream))
        {
            json.WriteStartObject();
            json.WritePropertyName(MetadataKey);
            json.WriteStartObject();
            json.WriteString("format", "nasbench-state");
            json.WriteString("version", "1");
            if (metadata is not null)
            {
                foreach (var (key, value) in metadata)
                {
                    json.WriteString(key, value);
                }
            }
            json.WriteEndObject();
            long offset = 0;
            foreach (var (name, t) in list)
            {
                json.WritePropertyName(name);
                json.WriteStartObject();
                json.WriteString("dtype", "F32");
                json.WritePropertyName("shape");
                json.WriteStartArray();
                foreach (int d in t.Shape)
                {
                    json.WriteNumberValue(d);
                }
                json.WriteEndArray();
                json.WritePropertyName("data_offsets");
                json.WriteStartArray();
                json.WriteNumberValue(offset);
                offset += (long)t.Numel * sizeof(float);
                json.WriteNumberValue(offset);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        while (headerStream.Length % 8 != 0)
        {
            headerStream.WriteByte((byte)' ');
        }

        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        Span<byte> lengthBytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(lengthBytes, (ulong)headerStream.Length);
        file.Write(lengthBytes);
        headerStream.Position = 0;
        headerStream.CopyTo(file);
        foreach (var (_, t) in list)
        {
            var bytes = MemoryMarshal.AsBytes(t.AsReadOnlySpan());
            if (BitConverter.IsLittleEndian)
            {
                file.Write(bytes);
            }
            else
            {
                foreach (float v in t.AsReadOnlySpan())
                {
                    Span<byte> b = stackalloc byte[4];
                    BinaryPrimitives.WriteSingleLittleEndian(b, v);
                    file.Write(b);
                }
            }
        }
    }

    /// <summary>Reads every tensor of a state file (name → shape and values).</summary>
    /// <exception cref="StateFileException">The file is truncated or its header is corrupt.</exception>
    public static Dictionary<string, StoredTensor> Read(string path) => Read(path, out _);

    /// <summary>Reads every tensor and the metadata of a state file.</summary>
    public static Dictionary<string, StoredTensor> Read(string path, out Dictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8)
        {
            throw new StateFileException(path, null, "file is truncated before the header length",
                "at least 8 bytes", $"{bytes.Length} bytes");
        }
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)(bytes.Length - 8))
        {
            bool absurd = headerLength > MaxHeaderBytes;
            throw new StateFileException(path, null,
                absurd ? "header length is corrupt" : "file is truncated inside the header",
                $"a header of {headerLength} bytes after the 8-byte length",
                $"{bytes.Length - 8} bytes in the rest of the file");
        }
        int dataStart = 8 + (int)headerLength;
        int dataLength = bytes.Length - dataStart;
        var result = new Dictionary<string, StoredTensor>(StringComparer.Ordinal);
        metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
        }
        catch (JsonException e)
        {
            throw new StateFileException(path, null, "header is not valid JSON", "a UTF-8 JSON object",
                $"a parse error ({e.Message})", e);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new StateFileException(path, null, "header is corrupt", "a JSON object",
                    $"a JSON {doc.RootElement.ValueKind}");
            }
            foreach (var member in doc.RootElement.EnumerateObject())
            {
                if (member.Name == MetadataKey)
                {
                    if (member.Value.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var m in member.Value.EnumerateObject())
                        {
                            metadata[m.Name] = m.Value.ToString();
                        }
                    }
                    continue;
                }
                result[member.Name] = ReadTensor(path, member, bytes, dataStart, dataLength);
            }
        }
        return result;
    }

    /// <summary>Copies stored tensors into a module's parameters and buffers, checking names and shapes.</summary>
    internal static void Apply(Module module, IReadOnlyDictionary<string, StoredTensor> stored, bool strict,
        string source)
    {
        var state = module.StateDict();
        // Validate everything before copying anything, so a failed load leaves the module untouched.
        foreach (var (name, target) in state)
        {
            if (!stored.TryGetValue(name, out var s))
            {
                throw new StateFileException(source, name, "tensor is missing",
                    $"a tensor of shape {target.ShapeString}", "no such tensor in the file");
            }
            if (!target.Shape.SequenceEqual(s.Shape))
            {
                throw new StateFileException(source, name, "shape mismatch", $"shape {target.ShapeString}",
                    $"shape {ShapeChecks.Format(s.Shape)}");
            }
        }
        if (strict)
        {
            foreach (var name in stored.Keys)
            {
                if (!state.ContainsKey(name))
                {
                    throw new StateFileException(source, name, "unknown tensor",
                        $"one of the module's {state.Count} tensors", "a tensor the module does not have");
                }
            }
        }
        foreach (var (name, target) in state)
        {
            stored[name].Data.CopyTo(target.AsSpan());
        }
    }

    private static StoredTensor ReadTensor(string path, JsonProperty member, byte[] bytes, int dataStart,
        int dataLength)
    {
        string name = member.Name;
        var entry = member.Value;
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw new StateFileException(path, name, "header entry is corrupt", "an object with dtype, shape and "
                + "data_offsets", $"a JSON {entry.ValueKind}");
        }
        if (!entry.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String)
        {
            throw new StateFileException(path, name, "header entry is corrupt", "a string 'dtype'", "none");
        }
        if (dtype.GetString() != "F32")
        {
            throw new StateFileException(path, name, "unsupported dtype", "\"F32\"", $"\"{dtype.GetString()}\"");
        }
        int[] shape = ReadIntArray(path, name, entry, "shape", -1);
        long numel = 1;
        foreach (int d in shape)
        {
            if (d < 0)
            {
                throw new StateFileException(path, name, "header entry is corrupt", "non-negative dimensions",
                    ShapeChecks.Format(shape));
            }
            numel *= d;
        }
        long[] offsets = ReadLongArray(path, name, entry, "data_offsets", 2);
        long begin = offsets[0], end = offsets[1];
        if (begin < 0 || end < begin || end - begin != numel * sizeof(float))
        {
            throw new StateFileException(path, name, "data_offsets do not fit the shape",
                $"{numel * sizeof(float)} bytes for shape {ShapeChecks.Format(shape)}",
                $"[{begin}, {end}) = {end - begin} bytes");
        }
        if (end > dataLength)
        {
            throw new StateFileException(path, name, "file is truncated inside the tensor data",
                $"bytes [{begin}, {end}) of the data section", $"a data section of {dataLength} bytes");
        }
        var data = new float[numel];
        var raw = bytes.AsSpan(dataStart + (int)begin, (int)(end - begin));
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.Cast<byte, float>(raw).CopyTo(data);
        }
        else
        {
            for (int i = 0; i < data.Length; i++)
            {
                data[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.Slice(i * 4, 4));
            }
        }
        return new StoredTensor(shape, data);
    }

    private static int[] ReadIntArray(string path, string name, JsonElement entry, string key, int expectedLength)
    {
        var values = ReadLongArray(path, name, entry, key, expectedLength);
        var result = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] > int.MaxValue)
            {
                throw new StateFileException(path, name, $"'{key}' is corrupt", "values that fit in 32 bits",
                    values[i].ToString(CultureInfo.InvariantCulture));
            }
            result[i] = (int)values[i];
        }
        return result;
    }

    private static long[] ReadLongArray(string path, string name, JsonElement entry, string key, int expectedLength)
    {
        if (!entry.TryGetProperty(key, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            throw new StateFileException(path, name, "header entry is corrupt", $"an array '{key}'", "none");
        }
        var result = new long[array.GetArrayLength()];
        if (expectedLength >= 0 && result.Length != expectedLength)
        {
            throw new StateFileException(path, name, $"'{key}' is corrupt", $"{expectedLength} numbers",
                $"{result.Length} numbers");
        }
        int i = 0;
        foreach (var v in array.EnumerateArray())
        {
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out result[i]))
            {
                throw new StateFileException(path, name, $"'{key}' is corrupt", "integers", v.GetRawText());
            }
            i++;
        }
        return result;
    }
}
