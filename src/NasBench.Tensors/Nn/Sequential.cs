namespace NasBench.Tensors.Nn;

/// <summary>Runs its children in order, each on the previous one's output. Children are named "0", "1", ...
/// unless given names.</summary>
public sealed class Sequential : Module<Tensor, Tensor>
{
    private readonly List<Module<Tensor, Tensor>> _layers = [];

    public Sequential(params Module<Tensor, Tensor>[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        foreach (var layer in layers)
        {
            Append(layer);
        }
    }

    public Sequential(params (string Name, Module<Tensor, Tensor> Layer)[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        foreach (var (name, layer) in layers)
        {
            Append(name, layer);
        }
    }

    public int Count => _layers.Count;

    public Module<Tensor, Tensor> this[int index] => _layers[index];

    /// <summary>Adds a layer at the end, named by its position.</summary>
    public Sequential Append(Module<Tensor, Tensor> layer) =>
        Append(_layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), layer);

    /// <summary>Adds a named layer at the end.</summary>
    public Sequential Append(string name, Module<Tensor, Tensor> layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        RegisterModule(name, layer);
        _layers.Add(layer);
        return this;
    }

    public override Tensor Forward(Tensor input)
    {
        var x = input;
        foreach (var layer in _layers)
        {
            x = layer.Forward(x);
        }
        return x;
    }
}
