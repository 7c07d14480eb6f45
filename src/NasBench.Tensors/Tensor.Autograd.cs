using NasBench.Tensors.Autograd;

namespace NasBench.Tensors;

public partial class Tensor
{
    // One order list per active Backward on this thread: a checkpoint's backward runs a nested Backward over its
    // recomputed graph while the outer one is still walking its own list.
    [ThreadStatic]
    private static Stack<List<Tensor>>? _freeOrders;

    [ThreadStatic]
    private static Stack<(Tensor Tensor, int Next)>? _topoStack;

    private static int _visitGeneration;

    /// <summary>Stops tape recording on this thread until the returned scope is disposed.</summary>
    /// <example><c>using (Tensor.NoGrad()) { var y = model.Forward(x); }</c></example>
    public static NoGradScope NoGrad() => new(active: true);

    /// <summary>Whether ops on this thread currently record the tape.</summary>
    public static bool IsGradEnabled => GradMode.IsEnabled;

    /// <summary>Back-propagates from this one-element tensor (seed gradient 1).</summary>
    public void Backward() => Backward(null);

    /// <summary>Back-propagates with an explicit output gradient of this tensor's shape (or 1 for a scalar when
    /// null).</summary>
    /// <remarks>Gradients accumulate into <see cref="Grad"/> of every leaf that requires grad. Intermediate
    /// gradients are released as soon as they are consumed unless <see cref="RetainGrad"/> was called, and the tape
    /// is cut, so a graph is run backward once. Re-entrant: a backward function may run its own Backward over another
    /// graph (an activation checkpoint's recomputation does).</remarks>
    public void Backward(Tensor? gradient)
    {
        if (!_requiresGrad)
        {
            throw new InvalidOperationException(
                $"Backward: {Describe()} does not require grad (no input of the graph has RequiresGrad set).");
        }
        if (gradient is null && Numel != 1)
        {
            throw new InvalidOperationException(
                $"Backward: an implicit gradient needs a one-element output, got shape {ShapeString}.");
        }
        if (gradient is not null)
        {
            ShapeChecks.SameShape("Backward", this, gradient);
        }

        RunBackward(gradient, borrowSeed: false);
    }

    /// <summary>Back-propagates <paramref name="gradient"/> (this tensor's shape) from this non-leaf tensor without
    /// copying it into a fresh seed: the pass reads it in place and leaves it to its owner.</summary>
    /// <remarks>For an activation checkpoint, whose output gradient belongs to the outer graph's pass.</remarks>
    internal void BackwardBorrowing(Tensor gradient)
    {
        ShapeChecks.SameShape("Backward", this, gradient);
        RunBackward(gradient, borrowSeed: _requiresGrad && GradFn is not null && Grad is null);
    }

    private void RunBackward(Tensor? gradient, bool borrowSeed)
    {
        var orders = _freeOrders ??= new Stack<List<Tensor>>();
        var order = orders.TryPop(out var reused) ? reused : new List<Tensor>(256);
        try
        {
            TopologicalOrder(order);
            if (borrowSeed)
            {
                Grad = gradient;
            }
            else
            {
                SeedGradient(gradient);
            }
            // order is post-order (inputs before outputs); walk it from the output back.
            for (int i = order.Count - 1; i >= 0; i--)
            {
                var t = order[i];
                var node = t.GradFn;
                if (node is null)
                {
                    continue;
                }
                if (t.Grad is { } g)
                {
                    node.Backward(g);
                }
                t.GradFn = null;
                if (borrowSeed && ReferenceEquals(t, this))
                {
                    // The root is first in this walk and nothing below it adds to its gradient: hand it back.
                    t.Grad = null;
                }
                else if (!t._retainGrad)
                {
                    t.Grad?.Dispose();
                    t.Grad = null;
                }
            }
        }
        finally
        {
            order.Clear();
            orders.Push(order);
        }
    }

    private void SeedGradient(Tensor? gradient)
    {
        var seed = GradTarget(this, out bool accumulate);
        if (gradient is null)
        {
            if (accumulate)
            {
                seed[0] += 1f;
            }
            else
            {
                seed[0] = 1f;
            }
        }
        else
        {
            Ops.Accumulate.Copy(gradient.AsReadOnlySpan(), seed, accumulate);
        }
    }

    /// <summary>A tensor sharing this one's storage with no tape and RequiresGrad false.</summary>
    public Tensor Detach()
    {
        var storage = Storage;
        storage.AddReference();
        return new Tensor(Shape, storage, registerInScope: true);
    }

    /// <summary>Drops the gradient (back to the pool) or, with <paramref name="setToNone"/> false, zeroes it.</summary>
    public void ZeroGrad(bool setToNone = true)
    {
        if (Grad is null)
        {
            return;
        }
        if (setToNone)
        {
            Grad.Dispose();
            Grad = null;
        }
        else
        {
            Grad.AsSpan().Clear();
        }
    }

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this tensor (fluent, like PyTorch's
    /// <c>requires_grad_</c>).</summary>
    public Tensor RequireGrad(bool requiresGrad = true)
    {
        RequiresGrad = requiresGrad;
        return this;
    }

    /// <summary>Whether an op over these inputs must record a tape node.</summary>
    internal static bool NeedsGrad(Tensor a) => GradMode.IsEnabled && a._requiresGrad;

    internal static bool NeedsGrad(Tensor a, Tensor b) => GradMode.IsEnabled && (a._requiresGrad || b._requiresGrad);

    /// <summary>Records the op that produced this tensor.</summary>
    internal void SetGradFn(string opName, Tensor[] inputs, BackwardFunction backward)
    {
        _requiresGrad = true;
        GradFn = new Node(opName, inputs, backward);
    }

    /// <summary>The span an op's backward writes <paramref name="t"/>'s gradient into; <paramref name="accumulate"/>
    /// tells the kernel to add (a gradient already exists) or overwrite (fresh, uninitialised buffer).</summary>
    internal static Span<float> GradTarget(Tensor t, out bool accumulate)
    {
        if (t.Grad is null)
        {
            t.Grad = CreateUnscoped(t.Shape);
            accumulate = false;
        }
        else
        {
            accumulate = true;
        }
        return t.Grad.AsSpan();
    }

    /// <summary>Like <see cref="GradTarget"/> but always safe to accumulate into (a fresh buffer is zeroed): for
    /// kernels that write several gradients under one accumulate flag.</summary>
    internal static Span<float> GradAccumulator(Tensor t)
    {
        var span = GradTarget(t, out bool accumulate);
        if (!accumulate)
        {
            span.Clear();
        }
        return span;
    }

    /// <summary>Fills <paramref name="order"/> with the graph below this tensor in post-order.</summary>
    /// <remarks>The DFS stack is shared by nested backward passes: the sort finishes before any backward function
    /// (which may start a nested pass) runs.</remarks>
    private void TopologicalOrder(List<Tensor> order)
    {
        var stack = _topoStack ??= new Stack<(Tensor, int)>(256);
        stack.Clear();
        int mark = Interlocked.Increment(ref _visitGeneration);
        VisitMark = mark;
        stack.Push((this, 0));
        while (stack.Count > 0)
        {
            var (t, next) = stack.Pop();
            var inputs = t.GradFn?.Inputs;
            if (inputs is not null && next < inputs.Length)
            {
                stack.Push((t, next + 1));
                var child = inputs[next];
                if (child.VisitMark != mark && child._requiresGrad)
                {
                    child.VisitMark = mark;
                    stack.Push((child, 0));
                }
            }
            else
            {
                order.Add(t);
            }
        }
    }
}
