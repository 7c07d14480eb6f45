using System.Globalization;
using NasBench.Tensors;
using NasBench.Tensors.Nn;
using NasBench.Tensors.Optim;
using NasBench.Tensors.Serialization;

namespace NasBench.Search.Experiments;

/// <summary>Saves and restores everything a training run needs to continue bit for bit: model parameters and
/// buffers, per-parameter optimizer state, the optimizer's learning rate, the position (epoch, step) and the
/// caller's extra values.</summary>
/// <remarks>
/// <para>The file is a <see cref="StateFile"/> (safetensors layout): tensors <c>model.&lt;name&gt;</c> and
/// <c>optimizer.&lt;parameter&gt;.&lt;buffer&gt;</c>; metadata <c>checkpoint</c> = <c>nasbench-checkpoint/1</c>,
/// <c>fingerprint</c> (the run's, see <see cref="RunDirectory.Fingerprint"/>), <c>epoch</c>, <c>step</c>,
/// <c>optimizer</c> (type name), <c>optimizer.lr</c>, <c>optimizer.&lt;parameter&gt;.step</c> and
/// <c>state.&lt;key&gt;</c> for <see cref="CheckpointState.Values"/>.</para>
/// <para>Random streams are not stored: trainers derive every generator from (seed, epoch, step), so the position
/// determines them. Writing is atomic (temporary file + rename), so a crash during a save leaves the previous
/// checkpoint intact.</para>
/// </remarks>
public static class Checkpoint
{
    /// <summary>The <c>checkpoint</c> metadata value identifying this format.</summary>
    public const string FormatName = "nasbench-checkpoint/1";

    private const string ModelPrefix = "model.";
    private const string OptimizerPrefix = "optimizer.";
    private const string StatePrefix = "state.";

    /// <summary>Writes a checkpoint to <paramref name="path"/> atomically.</summary>
    public static void Save(string path, Module model, Optimizer? optimizer, CheckpointState state,
        string fingerprint)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(fingerprint);
        var tensors = new List<KeyValuePair<string, Tensor>>();
        foreach (var (name, t) in model.StateDict())
        {
            tensors.Add(new(ModelPrefix + name, t));
        }
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["checkpoint"] = FormatName,
            ["fingerprint"] = fingerprint,
            ["epoch"] = state.Epoch.ToString(CultureInfo.InvariantCulture),
            ["step"] = state.Step.ToString(CultureInfo.InvariantCulture),
        };
        if (optimizer is not null)
        {
            metadata["optimizer"] = optimizer.GetType().Name;
            metadata["optimizer.lr"] = optimizer.LearningRate.ToString("R", CultureInfo.InvariantCulture);
            foreach (var (name, p) in OptimizedParameters(model, optimizer))
            {
                if (!optimizer.HasState(p))
                {
                    continue;
                }
                var ps = optimizer.State(p);
                metadata[$"{OptimizerPrefix}{name}.step"] = ps.Step.ToString(CultureInfo.InvariantCulture);
                foreach (var (buffer, t) in ps.Buffers)
                {
                    tensors.Add(new($"{OptimizerPrefix}{name}.{buffer}", t));
                }
            }
        }
        foreach (var (key, value) in state.Values)
        {
            metadata[StatePrefix + key] = value;
        }
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        AtomicFile.Write(path, temp => StateFile.Save(temp, tensors, metadata));
    }

    /// <summary>Restores a checkpoint into <paramref name="model"/> and <paramref name="optimizer"/> and returns the
    /// position and extra values.</summary>
    /// <exception cref="RunDirectoryException">The file is missing, truncated or corrupt, is not a NasBench
    /// checkpoint, belongs to another run (fingerprint), or does not fit the model or optimizer; the message names
    /// the file and the entry with the expected and actual values. On error nothing has been changed.</exception>
    public static CheckpointState Load(string path, Module model, Optimizer? optimizer, string fingerprint)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(fingerprint);
        if (!File.Exists(path))
        {
            throw new RunDirectoryException($"{path}: checkpoint not found.");
        }
        Dictionary<string, StoredTensor> stored;
        Dictionary<string, string> metadata;
        try
        {
            stored = StateFile.Read(path, out metadata);
        }
        catch (StateFileException e)
        {
            throw new RunDirectoryException($"Corrupt checkpoint: {e.Message}", e);
        }
        string format = metadata.GetValueOrDefault("checkpoint") ?? "(none)";
        if (format != FormatName)
        {
            throw new RunDirectoryException(
                $"{path}: not a NasBench checkpoint: metadata entry 'checkpoint' expected \"{FormatName}\", " +
                $"found {format}.");
        }
        string actualFingerprint = metadata.GetValueOrDefault("fingerprint") ?? "(none)";
        if (actualFingerprint != fingerprint)
        {
            throw new RunDirectoryException(
                $"{path}: checkpoint belongs to another run or configuration: metadata entry 'fingerprint' expected " +
                $"{fingerprint}, found {actualFingerprint}.");
        }
        int epoch = ReadInt(path, metadata, "epoch");
        int step = ReadInt(path, metadata, "step");

        var modelState = new Dictionary<string, StoredTensor>(StringComparer.Ordinal);
        var optimizerState = new Dictionary<string, StoredTensor>(StringComparer.Ordinal);
        foreach (var (name, t) in stored)
        {
            if (name.StartsWith(ModelPrefix, StringComparison.Ordinal))
            {
                modelState[name[ModelPrefix.Length..]] = t;
            }
            else if (name.StartsWith(OptimizerPrefix, StringComparison.Ordinal))
            {
                optimizerState[name[OptimizerPrefix.Length..]] = t;
            }
            else
            {
                throw new RunDirectoryException(
                    $"{path}: entry '{name}': expected a name starting with 'model.' or 'optimizer.'.");
            }
        }

        // Validate everything first so that a bad file leaves model and optimizer untouched.
        var live = model.StateDict();
        foreach (var (name, target) in live)
        {
            if (!modelState.TryGetValue(name, out var s))
            {
                throw new RunDirectoryException(
                    $"{path}: entry 'model.{name}' is missing: expected a tensor of shape {target.ShapeString}.");
            }
            CheckShape(path, "model." + name, target, s);
        }
        foreach (var name in modelState.Keys.Where(n => !live.ContainsKey(n)))
        {
            throw new RunDirectoryException(
                $"{path}: entry 'model.{name}' is not a tensor of this model ({live.Count} tensors): the checkpoint " +
                "is for another architecture.");
        }
        var restore = new List<(Parameter Parameter, string Buffer, StoredTensor Data, int Step)>();
        var stepsOnly = new List<(Parameter Parameter, int Step)>();
        if (optimizer is not null)
        {
            string type = metadata.GetValueOrDefault("optimizer") ?? "(none)";
            if (type != optimizer.GetType().Name)
            {
                throw new RunDirectoryException(
                    $"{path}: metadata entry 'optimizer' expected {optimizer.GetType().Name}, found {type}.");
            }
            var parameters = OptimizedParameters(model, optimizer).ToDictionary(p => p.Name, p => p.Parameter);
            var used = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (name, p) in parameters)
            {
                string stepKey = $"{OptimizerPrefix}{name}.step";
                if (!metadata.ContainsKey(stepKey))
                {
                    continue;
                }
                int paramStep = ReadInt(path, metadata, stepKey);
                bool any = false;
                foreach (var (key, t) in optimizerState)
                {
                    if (key.StartsWith(name + ".", StringComparison.Ordinal)
                        && !key[(name.Length + 1)..].Contains('.', StringComparison.Ordinal))
                    {
                        CheckShape(path, OptimizerPrefix + key, p, t);
                        restore.Add((p, key[(name.Length + 1)..], t, paramStep));
                        used.Add(key);
                        any = true;
                    }
                }
                if (!any)
                {
                    stepsOnly.Add((p, paramStep));
                }
            }
            foreach (var key in optimizerState.Keys.Where(k => !used.Contains(k)))
            {
                throw new RunDirectoryException(
                    $"{path}: entry 'optimizer.{key}' does not belong to any optimised parameter of this model.");
            }
        }
        else if (optimizerState.Count > 0)
        {
            // A model-only load (evaluation) ignores optimizer state by design.
            optimizerState.Clear();
        }

        foreach (var (name, target) in live)
        {
            modelState[name].Data.CopyTo(target.AsSpan());
        }
        if (optimizer is not null)
        {
            foreach (var p in optimizer.Parameters)
            {
                optimizer.ResetState(p);
            }
            foreach (var (p, buffer, data, paramStep) in restore)
            {
                var ps = optimizer.State(p);
                var t = Tensor.FromArray(data.Data, data.Shape);
                ps.Set(buffer, t);
                ps.Step = paramStep;
            }
            foreach (var (p, paramStep) in stepsOnly)
            {
                optimizer.State(p).Step = paramStep;
            }
            optimizer.LearningRate = double.Parse(
                metadata.GetValueOrDefault("optimizer.lr") ?? optimizer.LearningRate.ToString("R", CultureInfo.InvariantCulture),
                CultureInfo.InvariantCulture);
        }
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in metadata)
        {
            if (key.StartsWith(StatePrefix, StringComparison.Ordinal))
            {
                values[key[StatePrefix.Length..]] = value;
            }
        }
        return new CheckpointState(epoch, step, values);
    }

    private static IEnumerable<(string Name, Parameter Parameter)> OptimizedParameters(Module model,
        Optimizer optimizer)
    {
        var optimized = new HashSet<Parameter>(optimizer.Parameters, ReferenceEqualityComparer.Instance);
        return model.NamedParameters().Where(p => optimized.Contains(p.Parameter));
    }

    private static void CheckShape(string path, string name, Tensor target, StoredTensor stored)
    {
        if (!target.Shape.SequenceEqual(stored.Shape))
        {
            throw new RunDirectoryException(
                $"{path}: entry '{name}': expected shape {target.ShapeString}, found [{string.Join(", ", stored.Shape)}].");
        }
    }

    private static int ReadInt(string path, Dictionary<string, string> metadata, string key)
    {
        if (!metadata.TryGetValue(key, out var text))
        {
            throw new RunDirectoryException($"{path}: metadata entry '{key}' is missing: expected an integer.");
        }
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < 0)
        {
            throw new RunDirectoryException(
                $"{path}: metadata entry '{key}' expected a non-negative integer, found \"{text}\".");
        }
        return value;
    }
}
