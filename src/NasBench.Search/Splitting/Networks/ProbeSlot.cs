using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Search.Splitting.Networks;

/// <summary>What a split-aware forward pass attaches to one splittable unit.</summary>
/// <remarks>
/// <b>Products</b> (fast path, splitting.md §3.2): for each probe vector v_k (weight-shaped, [C, d] per neuron) a
/// zero, gradient-tracked y_k of the same shape; the unit outputs h̃ = σ(a) + Σ_k σ''(a)·c²·(y_k·z)(v_k·z), whose value
/// is σ(a) and whose ∂L/∂y_k is S·v_k for every neuron at once.
/// <b>Capture</b> (exact path, §2.4): the unit keeps its input z, pre-activation a and output h (gradient retained)
/// so S = Σ_p ∂L/∂h_p · σ''(a_p) · c²·z_p z_pᵀ can be assembled after the backward pass.
/// </remarks>
public sealed class ProbeSlot
{
    private ProbeSlot(Tensor[] vectors, Parameter[] auxiliaries, bool capture)
    {
        Vectors = vectors;
        Auxiliaries = auxiliaries;
        Capture = capture;
    }

    /// <summary>The probe vectors v_k, each shaped like the unit's weight.</summary>
    public IReadOnlyList<Tensor> Vectors { get; }

    /// <summary>The zero auxiliaries y_k whose gradients are the products S·v_k.</summary>
    public IReadOnlyList<Parameter> Auxiliaries { get; }

    /// <summary>True for the exact path's capture mode.</summary>
    public bool Capture { get; }

    /// <summary>Captured input of the last forward (capture mode).</summary>
    public Tensor? Input { get; internal set; }

    /// <summary>Captured pre-activation a of the last forward (capture mode).</summary>
    public Tensor? PreActivation { get; internal set; }

    /// <summary>Captured output h of the last forward, with its gradient retained (capture mode).</summary>
    public Tensor? Output { get; internal set; }

    /// <summary>A products-mode slot: one zero auxiliary per vector, each shaped like the vectors.</summary>
    public static ProbeSlot ForProducts(IReadOnlyList<Tensor> vectors)
    {
        var aux = new Parameter[vectors.Count];
        for (int k = 0; k < aux.Length; k++)
        {
            aux[k] = new Parameter(vectors[k].Shape);
        }
        return new ProbeSlot([.. vectors], aux, capture: false);
    }

    /// <summary>A capture-mode slot.</summary>
    public static ProbeSlot ForCapture() => new([], [], capture: true);
}
