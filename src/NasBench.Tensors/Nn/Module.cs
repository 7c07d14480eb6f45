using NasBench.Tensors.Serialization;

namespace NasBench.Tensors.Nn;

/// <summary>Base of every layer and network (PyTorch's <c>nn.Module</c>): children, parameters and buffers are
/// registered by name, and everything else (parameter discovery, train/eval, state dict, save/load) follows.</summary>
/// <remarks>Names nest with dots (<c>features.0.weight</c>). Registering under an existing name replaces the entry
/// in place, which is how a growing network swaps a layer or a wider parameter. Buffers (batch-norm running
/// statistics) are state without gradient: saved, loaded and never touched by optimizers.</remarks>
public abstract class Module
{
    private readonly List<KeyValuePair<string, Module>> _children = [];
    private readonly List<KeyValuePair<string, Parameter?>> _parameters = [];
    private readonly List<KeyValuePair<string, Tensor?>> _buffers = [];

    /// <summary>True in training mode (the default), false after <see cref="Eval"/>.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>Registers (or replaces) a child module.</summary>
    protected void RegisterModule(string name, Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        Set(_children, name, module);
    }

    /// <summary>Registers (or replaces) a parameter; null declares an absent optional one (a bias).</summary>
    protected void RegisterParameter(string name, Parameter? parameter) => Set(_parameters, name, parameter);

    /// <summary>Registers (or replaces) a buffer. The tensor is taken out of any scope: the module owns it.</summary>
    protected void RegisterBuffer(string name, Tensor? buffer)
    {
        buffer?.DetachFromScope();
        Set(_buffers, name, buffer);
    }

    /// <summary>Direct children with their names, in registration order.</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren()
    {
        foreach (var (name, child) in _children)
        {
            yield return (name, child);
        }
    }

    /// <summary>Direct children in registration order.</summary>
    public IEnumerable<Module> Children() => NamedChildren().Select(c => c.Module);

    /// <summary>This module and all descendants, depth first, with dotted names ("" for this one).</summary>
    public IEnumerable<(string Name, Module Module)> NamedModules(string prefix = "")
    {
        yield return (prefix, this);
        foreach (var (name, child) in _children)
        {
            foreach (var nested in child.NamedModules(Join(prefix, name)))
            {
                yield return nested;
            }
        }
    }

    /// <summary>All parameters (recursively), with dotted names, in registration order.</summary>
    public IEnumerable<(string Name, Parameter Parameter)> NamedParameters(bool recurse = true)
    {
        foreach (var (prefix, module) in recurse ? NamedModules() : [("", this)])
        {
            foreach (var (name, p) in module._parameters)
            {
                if (p is not null)
                {
                    yield return (Join(prefix, name), p);
                }
            }
        }
    }

    /// <summary>All parameters (recursively).</summary>
    public IEnumerable<Parameter> Parameters(bool recurse = true) => NamedParameters(recurse).Select(p => p.Parameter);

    /// <summary>All buffers (recursively), with dotted names.</summary>
    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers(bool recurse = true)
    {
        foreach (var (prefix, module) in recurse ? NamedModules() : [("", this)])
        {
            foreach (var (name, b) in module._buffers)
            {
                if (b is not null)
                {
                    yield return (Join(prefix, name), b);
                }
            }
        }
    }

    /// <summary>All buffers (recursively).</summary>
    public IEnumerable<Tensor> Buffers(bool recurse = true) => NamedBuffers(recurse).Select(b => b.Buffer);

    /// <summary>Sets training mode on this module and every descendant.</summary>
    public Module Train(bool training = true)
    {
        foreach (var (_, module) in NamedModules())
        {
            module.IsTraining = training;
        }
        return this;
    }

    /// <summary>Sets evaluation mode (batch norm uses running statistics, dropout is the identity).</summary>
    public Module Eval() => Train(false);

    /// <summary>Drops (or zeroes) the gradient of every parameter.</summary>
    public void ZeroGrad(bool setToNone = true)
    {
        foreach (var p in Parameters())
        {
            p.ZeroGrad(setToNone);
        }
    }

    /// <summary>Every parameter and buffer by dotted name; the tensors are the live ones, not copies.</summary>
    public Dictionary<string, Tensor> StateDict()
    {
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (prefix, module) in NamedModules())
        {
            foreach (var (name, p) in module._parameters)
            {
                if (p is not null)
                {
                    state[Join(prefix, name)] = p;
                }
            }
            foreach (var (name, b) in module._buffers)
            {
                if (b is not null)
                {
                    state[Join(prefix, name)] = b;
                }
            }
        }
        return state;
    }

    /// <summary>Copies values into this module's parameters and buffers.</summary>
    /// <exception cref="StateFileException">A tensor is missing, unknown (when <paramref name="strict"/>) or has
    /// another shape; the message names it with the expected and actual values.</exception>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(state);
        var loaded = new Dictionary<string, StoredTensor>(StringComparer.Ordinal);
        foreach (var (name, t) in state)
        {
            loaded[name] = new StoredTensor(t.Shape.ToArray(), t.ToArray());
        }
        StateFile.Apply(this, loaded, strict, source: "state dict");
    }

    /// <summary>Saves parameters and buffers to <paramref name="path"/> in the format of <see cref="StateFile"/>.
    /// </summary>
    public void Save(string path, IReadOnlyDictionary<string, string>? metadata = null) =>
        StateFile.Save(path, StateDict(), metadata);

    /// <summary>Loads parameters and buffers from a file written by <see cref="Save"/>.</summary>
    /// <exception cref="StateFileException">Truncated file, corrupt header, missing, unknown or mis-shaped tensor.
    /// </exception>
    public void Load(string path, bool strict = true) => StateFile.Apply(this, StateFile.Read(path), strict, path);

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : $"{prefix}.{name}";

    private static void Set<T>(List<KeyValuePair<string, T>> list, string name, T value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Registered names may not contain '.', got '{name}'.", nameof(name));
        }
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i].Key == name)
            {
                list[i] = new(name, value);
                return;
            }
        }
        list.Add(new(name, value));
    }
}
