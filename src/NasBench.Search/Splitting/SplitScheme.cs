namespace NasBench.Search.Splitting;

/// <summary>How one neuron is split (splitting.md §1.3 and §5.2).</summary>
public enum SplitScheme
{
    /// <summary>S2D: two copies with output weights ½, ½ along ±ε·v_min; needs λ_min &lt; 0; adds 1 neuron.</summary>
    Positive,

    /// <summary>Signed: copies with weights 1+a, −a/2, −a/2 along 0, ±ε·v_max; needs λ_max &gt; 0; adds 2 neurons.</summary>
    Negative,

    /// <summary>Signed: four copies along ±ε·v_min and ±ε·v_max; adds 3 neurons.</summary>
    Combined,
}
