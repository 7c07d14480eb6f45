using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NasBench.Search.Darts;

namespace NasBench.Search.Experiments;

/// <summary>The directory of one experiment, <c>&lt;root&gt;/&lt;name&gt;/</c>: <c>config.json</c> (every setting,
/// the seed included), <c>genotype.json</c>, <c>history.csv</c>, <c>log.txt</c>, <c>checkpoints/</c>,
/// <c>report.md</c>, <c>result.json</c> and a <c>FINISHED</c> marker.</summary>
/// <remarks>
/// <para><c>config.json</c> is <c>{"format": "nasbench-run", "version": 1, "kind": ..., "created": ...,
/// "settings": {...}}</c>. Opening a directory that already holds a run is refused unless the caller resumes, and a
/// resume is refused when the stored kind or any setting differs from the given ones (the message names the setting
/// with both values): a resumed run must be the same computation, or it would not reproduce the uninterrupted one.
/// </para>
/// <para><see cref="Fingerprint"/> (SHA-256 of kind and settings) is written into every checkpoint, so a checkpoint
/// copied from another run is recognised and refused.</para>
/// </remarks>
public sealed class RunDirectory
{
    /// <summary>The <c>format</c> member of <c>config.json</c>.</summary>
    public const string FormatName = "nasbench-run";

    private const int FormatVersion = 1;
    private readonly object _logLock = new();

    private RunDirectory(string path, string name, string kind, JsonObject settings, bool resumed, bool finished)
    {
        Path = path;
        Name = name;
        Kind = kind;
        Settings = settings;
        IsResumed = resumed;
        IsFinished = finished;
        Fingerprint = ComputeFingerprint(kind, settings);
    }

    /// <summary>The run's directory.</summary>
    public string Path { get; }

    /// <summary>The run's name (the last component of <see cref="Path"/>).</summary>
    public string Name { get; }

    /// <summary>What kind of run this is ("train", "search", ...).</summary>
    public string Kind { get; }

    /// <summary>The settings as stored in <c>config.json</c>.</summary>
    public JsonObject Settings { get; }

    /// <summary>True when an existing run was reopened with resume.</summary>
    public bool IsResumed { get; }

    /// <summary>True when the reopened run had already finished (<see cref="MarkFinished"/>).</summary>
    public bool IsFinished { get; }

    /// <summary>Identifies the kind and settings; stored in checkpoints.</summary>
    public string Fingerprint { get; }

    public string ConfigPath => File("config.json");

    public string GenotypePath => File("genotype.json");

    public string HistoryPath => File("history.csv");

    public string LogPath => File("log.txt");

    public string ReportPath => File("report.md");

    public string ResultPath => File("result.json");

    public string CheckpointsPath => File("checkpoints");

    /// <summary>The checkpoint written every epoch and on cancellation (replaced atomically each time).</summary>
    public string LatestCheckpointPath => System.IO.Path.Combine(CheckpointsPath, "latest.ckpt");

    private string FinishedPath => File("FINISHED");

    /// <summary>A file inside the run directory.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Creates <c>&lt;root&gt;/&lt;name&gt;/</c> for a new run, or reopens it to resume.</summary>
    /// <param name="root">Parent directory (e.g. <c>runs</c>); created if absent.</param>
    /// <param name="name">Run name: a single path component.</param>
    /// <param name="kind">Kind of run, stored and checked on resume.</param>
    /// <param name="settings">Every setting of the run (seed included); stored in <c>config.json</c>.</param>
    /// <param name="resume">Reopen an existing run instead of creating one.</param>
    /// <exception cref="RunDirectoryException">A run already exists and <paramref name="resume"/> is false; there is
    /// nothing to resume; <c>config.json</c> is corrupt, foreign, or its kind or settings differ.</exception>
    public static RunDirectory Open(string root, string name, string kind, JsonObject settings, bool resume)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(settings);
        if (name is "." or ".." || name.IndexOfAny([System.IO.Path.DirectorySeparatorChar,
                System.IO.Path.AltDirectorySeparatorChar]) >= 0 || name.IndexOfAny(System.IO.Path.GetInvalidFileNameChars()) >= 0)
        {
            throw new RunDirectoryException($"Run name '{name}' must be a single directory name (no '/', '..').");
        }
        string path = System.IO.Path.GetFullPath(System.IO.Path.Combine(root, name));
        string config = System.IO.Path.Combine(path, "config.json");
        bool finished = System.IO.File.Exists(System.IO.Path.Combine(path, "FINISHED"));
        if (System.IO.File.Exists(config))
        {
            if (!resume)
            {
                throw new RunDirectoryException(
                    $"{path} already holds a{(finished ? " finished" : "n unfinished")} run; pass --resume to " +
                    "continue it, or choose another name (--name) or output directory (--output).");
            }
            CheckStored(config, kind, settings);
        }
        else
        {
            if (resume)
            {
                throw new RunDirectoryException(
                    $"Nothing to resume: {config} does not exist. Run without --resume to start this run.");
            }
            Directory.CreateDirectory(path);
            var document = new JsonObject
            {
                ["format"] = FormatName,
                ["version"] = FormatVersion,
                ["kind"] = kind,
                ["created"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
                ["settings"] = settings.DeepClone(),
            };
            AtomicFile.WriteText(config, document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        }
        Directory.CreateDirectory(System.IO.Path.Combine(path, "checkpoints"));
        var run = new RunDirectory(path, name, kind, (JsonObject)settings.DeepClone(), resume, finished);
        run.Log(resume ? $"resumed run '{name}' ({kind})" : $"created run '{name}' ({kind})");
        return run;
    }

    /// <summary>Appends a timestamped line to <c>log.txt</c> (thread-safe).</summary>
    public void Log(string message)
    {
        string line = $"{DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}Z {message}\n";
        lock (_logLock)
        {
            System.IO.File.AppendAllText(LogPath, line, new UTF8Encoding(false));
        }
    }

    /// <summary>Opens <c>history.csv</c> with the given columns (see <see cref="HistoryCsv"/>).</summary>
    public HistoryCsv History(IReadOnlyList<string> columns) => new(HistoryPath, columns);

    /// <summary>Writes <c>genotype.json</c> in the canonical form.</summary>
    public void WriteGenotype(Genotype genotype) =>
        AtomicFile.WriteText(GenotypePath, GenotypeJson.Serialize(genotype, indented: true) + "\n");

    /// <summary>Writes a text file of the run (report, result) atomically.</summary>
    public void WriteText(string name, string text) => AtomicFile.WriteText(File(name), text);

    /// <summary>Marks the run finished: a later open without resume is refused as a finished run.</summary>
    public void MarkFinished()
    {
        AtomicFile.WriteText(FinishedPath, DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture) + "\n");
        Log("finished");
    }

    private static void CheckStored(string config, string kind, JsonObject settings)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(System.IO.File.ReadAllText(config));
        }
        catch (JsonException e)
        {
            throw new RunDirectoryException($"{config}: corrupt, not valid JSON ({e.Message}).", e);
        }
        if (node is not JsonObject stored || stored["format"]?.GetValueKind() != JsonValueKind.String
            || stored["format"]!.GetValue<string>() != FormatName)
        {
            throw new RunDirectoryException(
                $"{config}: not a NasBench run configuration: expected \"format\": \"{FormatName}\", found " +
                $"{(node is JsonObject o ? o["format"]?.ToJsonString() ?? "no format member" : "a JSON " + node?.GetValueKind())}.");
        }
        string storedKind = stored["kind"]?.ToString() ?? "(none)";
        if (storedKind != kind)
        {
            throw new RunDirectoryException(
                $"{config}: entry 'kind': this is a '{storedKind}' run, cannot resume it as a '{kind}' run.");
        }
        if (stored["settings"] is not JsonObject storedSettings)
        {
            throw new RunDirectoryException($"{config}: entry 'settings': expected a JSON object, found none.");
        }
        foreach (string key in storedSettings.Select(p => p.Key).Union(settings.Select(p => p.Key)))
        {
            string expected = storedSettings[key]?.ToJsonString() ?? "(absent)";
            string actual = settings[key]?.ToJsonString() ?? "(absent)";
            if (expected != actual)
            {
                throw new RunDirectoryException(
                    $"{config}: setting '{key}' differs: the run was started with {expected}, this resume asks for " +
                    $"{actual}. Resume with the original settings, or start a new run.");
            }
        }
    }

    private static string ComputeFingerprint(string kind, JsonObject settings)
    {
        string canonical = kind + "\n" + settings.ToJsonString();
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..16];
    }
}
