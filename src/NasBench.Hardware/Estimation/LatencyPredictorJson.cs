using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace NasBench.Hardware.Estimation;

/// <summary>The JSON form of a trained <see cref="LatencyPredictor"/> (docs/latency.md, "Predictor files").</summary>
/// <remarks>
/// <code>
/// { "schema": "nasbench.latency-predictor", "schemaVersion": 1,
///   "metadata": { "features": "…", "target": "…", … },
///   "usesBaseline": true, "targetMean": m, "targetScale": s,
///   "featureMean": [d], "featureScale": [d],
///   "layers": [ { "in": d, "out": h, "weight": [h·d, row-major out × in], "bias": [h] },
///               { "in": h, "out": h, … }, { "in": h, "out": 1, … } ],
///   "training": { "epochs", "bestEpoch", "fitModels", "validationModels", "trainingLoss", "validationLoss" } }
/// </code>
/// The prediction is exp(net((x − featureMean) / featureScale)·targetScale + targetMean) (× the baseline when
/// usesBaseline), with ReLU after the first two layers. Weights are written with round-trip precision, so a loaded
/// predictor predicts exactly what the saved one did.
/// </remarks>
public static class LatencyPredictorJson
{
    public const string SchemaName = "nasbench.latency-predictor";

    public const int SchemaVersion = 1;

    public static void Write(LatencyPredictor predictor, string path)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, ToJson(predictor), new UTF8Encoding(false));
        File.Move(temporary, path, overwrite: true);
    }

    public static string ToJson(LatencyPredictor predictor)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        using var stream = new MemoryStream();
        // Relaxed escaping keeps metadata such as "counts+lookup" readable; the file is never embedded in HTML.
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions
        {
            Indented = true,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            w.WriteStartObject();
            w.WriteString("schema", SchemaName);
            w.WriteNumber("schemaVersion", SchemaVersion);
            w.WriteStartObject("metadata");
            foreach (var (key, value) in predictor.Metadata.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                w.WriteString(key, value);
            }
            w.WriteEndObject();
            w.WriteBoolean("usesBaseline", predictor.UsesBaseline);
            w.WriteNumber("targetMean", predictor.TargetMean);
            w.WriteNumber("targetScale", predictor.TargetScale);
            WriteArray(w, "featureMean", predictor.FeatureMean);
            WriteArray(w, "featureScale", predictor.FeatureScale);
            w.WriteStartArray("layers");
            foreach (var layer in predictor.Layers)
            {
                w.WriteStartObject();
                w.WriteNumber("in", layer.InFeatures);
                w.WriteNumber("out", layer.OutFeatures);
                WriteArray(w, "weight", layer.Weight.ToArray());
                WriteArray(w, "bias", layer.Bias!.ToArray());
                w.WriteEndObject();
            }
            w.WriteEndArray();
            var t = predictor.Training;
            w.WriteStartObject("training");
            w.WriteNumber("epochs", t.Epochs);
            w.WriteNumber("bestEpoch", t.BestEpoch);
            w.WriteNumber("fitModels", t.FitModels);
            w.WriteNumber("validationModels", t.ValidationModels);
            w.WriteNumber("trainingLoss", t.TrainingLoss);
            if (double.IsFinite(t.ValidationLoss))
            {
                w.WriteNumber("validationLoss", t.ValidationLoss);
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <exception cref="LatencyPredictorFormatException">Missing file, malformed JSON, another schema or version, a
    /// missing field or one of the wrong shape (the message names the file and the field).</exception>
    public static LatencyPredictor Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new LatencyPredictorFormatException($"{path}: no such predictor file.");
        }
        return Parse(File.ReadAllText(path), path);
    }

    /// <param name="source">Named in error messages (a file path).</param>
    /// <exception cref="LatencyPredictorFormatException">See <see cref="Read"/>.</exception>
    public static LatencyPredictor Parse(string json, string source = "predictor")
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new LatencyPredictorFormatException($"{source}: not valid JSON ({e.Message}).", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Error(source, "the root", "an object", root.ValueKind.ToString());
            }
            string schema = String(root, "schema", source);
            if (schema != SchemaName)
            {
                throw Error(source, "schema", $"'{SchemaName}'", $"'{schema}'");
            }
            double version = Number(root, "schemaVersion", source);
            if (version != SchemaVersion)
            {
                throw Error(source, "schemaVersion", SchemaVersion.ToString(CultureInfo.InvariantCulture),
                    version.ToString(CultureInfo.InvariantCulture));
            }
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("metadata", out var meta))
            {
                if (meta.ValueKind != JsonValueKind.Object)
                {
                    throw Error(source, "metadata", "an object", meta.ValueKind.ToString());
                }
                foreach (var p in meta.EnumerateObject())
                {
                    metadata[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
                }
            }
            if (!root.TryGetProperty("usesBaseline", out var baseline)
                || baseline.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                throw Error(source, "usesBaseline", "true or false", Describe(root, "usesBaseline"));
            }
            double targetMean = Number(root, "targetMean", source);
            double targetScale = Number(root, "targetScale", source);
            if (!(targetScale > 0))
            {
                throw Error(source, "targetScale", "> 0", targetScale.ToString(CultureInfo.InvariantCulture));
            }
            var featureMean = Numbers(root, "featureMean", source);
            var featureScale = Numbers(root, "featureScale", source);
            if (featureScale.Length != featureMean.Length)
            {
                throw Error(source, "featureScale", $"{featureMean.Length} values (as featureMean)",
                    $"{featureScale.Length}");
            }
            if (!root.TryGetProperty("layers", out var layersElement) || layersElement.ValueKind != JsonValueKind.Array)
            {
                throw Error(source, "layers", "an array of 3 layers", Describe(root, "layers"));
            }
            var layers = new List<(float[], float[])>();
            int index = 0;
            foreach (var layer in layersElement.EnumerateArray())
            {
                string name = $"layers[{index++}]";
                layers.Add((Floats(layer, "weight", source, name), Floats(layer, "bias", source, name)));
            }
            if (layers.Count != 3)
            {
                throw Error(source, "layers", "3 layers", layers.Count.ToString(CultureInfo.InvariantCulture));
            }
            var training = new LatencyPredictorTraining(0, 0, 0, 0, double.NaN, double.NaN);
            if (root.TryGetProperty("training", out var t) && t.ValueKind == JsonValueKind.Object)
            {
                training = new LatencyPredictorTraining(
                    (int)Number(t, "epochs", source, "training"), (int)Number(t, "bestEpoch", source, "training"),
                    (int)Number(t, "fitModels", source, "training"),
                    (int)Number(t, "validationModels", source, "training"),
                    Number(t, "trainingLoss", source, "training"),
                    t.TryGetProperty("validationLoss", out var v) && v.ValueKind == JsonValueKind.Number
                        ? v.GetDouble()
                        : double.NaN);
            }
            try
            {
                return LatencyPredictor.FromWeights(featureMean, featureScale, targetMean, targetScale,
                    baseline.GetBoolean(), layers, training, metadata);
            }
            catch (ArgumentException e)
            {
                throw new LatencyPredictorFormatException($"{source}: {e.Message}", e);
            }
        }
    }

    private static void WriteArray<T>(Utf8JsonWriter w, string name, IReadOnlyList<T> values)
        where T : struct
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            switch (v)
            {
                case float f:
                    w.WriteNumberValue(f);
                    break;
                case double d:
                    w.WriteNumberValue(d);
                    break;
            }
        }
        w.WriteEndArray();
    }

    private static string Describe(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var e) ? e.ValueKind.ToString() : "missing";

    private static LatencyPredictorFormatException Error(string source, string field, string expected, string actual) =>
        new($"{source}: {field}: expected {expected}, found {actual}.");

    private static string String(JsonElement parent, string name, string source)
    {
        if (!parent.TryGetProperty(name, out var e) || e.ValueKind != JsonValueKind.String)
        {
            throw Error(source, name, "a string", Describe(parent, name));
        }
        return e.GetString()!;
    }

    private static double Number(JsonElement parent, string name, string source, string? path = null)
    {
        string field = path is null ? name : $"{path}.{name}";
        if (!parent.TryGetProperty(name, out var e) || e.ValueKind != JsonValueKind.Number)
        {
            throw Error(source, field, "a number", Describe(parent, name));
        }
        double value = e.GetDouble();
        if (!double.IsFinite(value))
        {
            throw Error(source, field, "a finite number", e.GetRawText());
        }
        return value;
    }

    /// <summary>Weights were written from float32 values, so reading them as double and narrowing is exact.</summary>
    private static float[] Floats(JsonElement parent, string name, string source, string path) =>
        [.. Numbers(parent, name, source, path).Select(v => (float)v)];

    private static double[] Numbers(JsonElement parent, string name, string source, string? path = null)
    {
        string field = path is null ? name : $"{path}.{name}";
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var e)
            || e.ValueKind != JsonValueKind.Array)
        {
            throw Error(source, field, "an array of numbers",
                parent.ValueKind == JsonValueKind.Object ? Describe(parent, name) : parent.ValueKind.ToString());
        }
        var values = new double[e.GetArrayLength()];
        int i = 0;
        foreach (var item in e.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !double.IsFinite(item.GetDouble()))
            {
                throw Error(source, $"{field}[{i}]", "a finite number", item.GetRawText());
            }
            values[i++] = item.GetDouble();
        }
        return values;
    }
}
