using System.Text;
using NasBench.Tensors.Autograd;
using NasBench.Tensors.Memory;

namespace NasBench.Tensors;

/// <summary>A dense, contiguous float32 tensor (NCHW for images) with tape-based reverse-mode autograd.</summary>
/// <remarks>
/// Storage is rented from <see cref="BufferPool"/>; <see cref="Dispose"/> (or the end of the owning
/// <see cref="TensorScope"/>) gives it back. Views made by <see cref="Reshape"/> share storage with their source.
/// An op whose input <see cref="RequiresGrad"/> (while grad mode is on) records a node on its output;
/// <see cref="Backward()"/> on a scalar walks the nodes in reverse topological order and accumulates into every
/// leaf's <see cref="Grad"/>. Not thread-safe: one thread builds and runs a graph.
/// </remarks>
public partial class Tensor : IDisposable
{
    private readonly int[] _shape;
    private TensorStorage? _storage;
    private TensorScope? _scope;
    private bool _requiresGrad;
    private bool _retainGrad;

    internal Tensor(ReadOnlySpan<int> shape, TensorStorage storage, bool registerInScope)
    {
        _shape = shape.ToArray();
        _storage = storage;
        Numel = ShapeChecks.NumelOf(shape);
        if (registerInScope && TensorScope.Current is { } scope)
        {
            _scope = scope;
            scope.Add(this);
        }
    }

    /// <summary>Dimensions, outermost first; empty for a scalar.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>Number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>Number of elements (1 for a scalar).</summary>
    public int Numel { get; }

    /// <summary>Where the storage lives.</summary>
    public Device Device => Storage.Device;

    /// <summary>Whether this tensor has been disposed (its storage possibly reused by another tensor).</summary>
    public bool IsDisposed => _storage is null;

    /// <summary>The scope that will dispose this tensor, or null.</summary>
    public TensorScope? Scope => _scope;

    /// <summary>Optional name for messages (parameters get their dotted module path).</summary>
    public string? Name { get; set; }

    /// <summary>Whether ops on this tensor are recorded for autograd. Only leaves may be switched.</summary>
    public bool RequiresGrad
    {
        get => _requiresGrad;
        set
        {
            if (GradFn is not null && !value)
            {
                throw new InvalidOperationException(
                    $"Cannot clear RequiresGrad on {Describe()}, the result of '{GradFn.OpName}'; use Detach().");
            }
            _requiresGrad = value;
        }
    }

    /// <summary>Accumulated gradient (same shape), or null before the first backward / after ZeroGrad.</summary>
    public Tensor? Grad { get; set; }

    /// <summary>True when no op produced this tensor (inputs, parameters).</summary>
    public bool IsLeaf => GradFn is null;

    /// <summary>Name of the op that produced this tensor, or null for a leaf.</summary>
    public string? GradFnName => GradFn?.OpName;

    internal Node? GradFn { get; set; }

    /// <summary>Visit mark for the topological sort (a generation number, so no set is allocated per backward).</summary>
    internal int VisitMark { get; set; }

    internal TensorStorage Storage => _storage ?? throw new ObjectDisposedException(nameof(Tensor),
        $"Tensor {Describe()} was used after it was disposed (its scope ended or Dispose was called); "
        + "call MoveToOuterScope() or DetachFromScope() on tensors that must outlive their TensorScope.");

    /// <summary>The elements, row-major.</summary>
    public Span<float> AsSpan() => Storage.Span(Numel);

    /// <summary>The elements, row-major, read-only.</summary>
    public ReadOnlySpan<float> AsReadOnlySpan() => Storage.Span(Numel);

    /// <summary>The elements as a segment of the pooled array, for kernels that take candidate lists.</summary>
    internal ArraySegment<float> AsSegment() => Storage.Segment(Numel);

    /// <summary>Size of dimension <paramref name="dim"/> (negative counts from the end).</summary>
    public int Size(int dim) => _shape[ShapeChecks.NormalizeDim(dim, Rank, "Size")];

    /// <summary>The single value of a one-element tensor.</summary>
    public float Item()
    {
        if (Numel != 1)
        {
            throw new InvalidOperationException($"Item() needs a one-element tensor, got shape {ShapeString}.");
        }
        return AsReadOnlySpan()[0];
    }

    /// <summary>A copy of the elements, row-major.</summary>
    public float[] ToArray() => AsReadOnlySpan().ToArray();

    /// <summary>The shape as text, e.g. <c>[8, 3, 32, 32]</c>.</summary>
    public string ShapeString => ShapeChecks.Format(_shape);

    /// <summary>Marks a non-leaf tensor to keep its <see cref="Grad"/> after backward (PyTorch's
    /// <c>retain_grad</c>).</summary>
    public Tensor RetainGrad()
    {
        _retainGrad = true;
        return this;
    }

    internal bool RetainsGrad => _retainGrad || GradFn is null;

    /// <summary>Hands ownership to the enclosing scope (or to no scope at the outermost level), so the tensor
    /// survives the end of its current scope.</summary>
    public Tensor MoveToOuterScope()
    {
        if (_scope is { } scope)
        {
            _scope = scope.Outer;
            _scope?.Add(this);
        }
        return this;
    }

    /// <summary>Removes the tensor from every scope; the caller now owns it (dispose it, or let the GC take it).
    /// </summary>
    public Tensor DetachFromScope()
    {
        _scope = null;
        return this;
    }

    /// <summary>Returns the storage to the pool (when no view still uses it) and the gradient with it. Further use
    /// throws <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (_storage is null)
        {
            return;
        }
        _storage.Release();
        _storage = null;
        _scope = null;
        GradFn = null;
        Grad?.Dispose();
        Grad = null;
        GC.SuppressFinalize(this);
    }

    /// <summary>Returns <paramref name="result"/>, computed from <paramref name="consumed"/> (an intermediate the
    /// caller created and has just read for the last time); the intermediate goes back to the pool now when no tape
    /// is recording, and stays with its scope otherwise.</summary>
    /// <remarks>Why: a forward without the tape (<see cref="NoGrad"/>, or the first run of an
    /// <see cref="ActivationCheckpoint"/>) otherwise keeps every intermediate of a block until its scope ends, so each
    /// op writes into a buffer that left the cache long ago. Released at once, the next op of the same size reuses the
    /// buffer just freed (the pool hands out the most recent first), still in cache. With the tape on, backward may
    /// read the intermediate, so nothing is released. The caller must not use <paramref name="consumed"/> afterwards;
    /// views of it keep the storage alive.</remarks>
    /// <example><c>var h = depthwise.Forward(x); var y = Tensor.Consumed(h, pointwise.Forward(h));</c></example>
    public static Tensor Consumed(Tensor consumed, Tensor result)
    {
        if (!IsGradEnabled && !ReferenceEquals(consumed, result))
        {
            consumed.Dispose();
        }
        return result;
    }

    /// <summary>Shape, device and gradient state, for messages.</summary>
    public string Describe()
    {
        var sb = new StringBuilder();
        if (Name is not null)
        {
            sb.Append('\'').Append(Name).Append("' ");
        }
        sb.Append(ShapeString);
        return sb.ToString();
    }

    public override string ToString()
    {
        if (_storage is null)
        {
            return $"Tensor {ShapeString} (disposed)";
        }
        var sb = new StringBuilder("Tensor ").Append(ShapeString);
        if (_requiresGrad)
        {
            sb.Append(", requires_grad");
        }
        sb.Append(" [");
        var data = AsReadOnlySpan();
        int shown = Math.Min(8, data.Length);
        for (int i = 0; i < shown; i++)
        {
            sb.Append(i == 0 ? "" : ", ").Append(data[i].ToString("G6", System.Globalization.CultureInfo.InvariantCulture));
        }
        sb.Append(data.Length > shown ? ", ...]" : "]");
        return sb.ToString();
    }
}
