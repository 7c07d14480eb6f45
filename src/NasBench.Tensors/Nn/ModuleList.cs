using System.Collections;

namespace NasBench.Tensors.Nn;

/// <summary>An indexable list of registered child modules (named "0", "1", ...), for cells and candidate ops.
/// </summary>
public sealed class ModuleList<T> : Module, IReadOnlyList<T>
    where T : Module
{
    private readonly List<T> _items = [];

    public ModuleList(params IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (var item in items)
        {
            Add(item);
        }
    }

    public int Count => _items.Count;

    /// <summary>Gets or replaces the module at <paramref name="index"/> (replacement re-registers it).</summary>
    public T this[int index]
    {
        get => _items[index];
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            _items[index] = value;
            RegisterModule(index.ToString(System.Globalization.CultureInfo.InvariantCulture), value);
        }
    }

    public void Add(T item)
    {
        ArgumentNullException.ThrowIfNull(item);
        RegisterModule(_items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), item);
        _items.Add(item);
    }

    public IEnumerator<T> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
