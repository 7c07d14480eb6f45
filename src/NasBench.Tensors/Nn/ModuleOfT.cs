namespace NasBench.Tensors.Nn;

/// <summary>A module with one input and one output (TorchSharp's <c>Module&lt;T, TResult&gt;</c>).</summary>
public abstract class Module<TInput, TResult> : Module
{
    /// <summary>Computes the module's output.</summary>
    public abstract TResult Forward(TInput input);

    /// <summary>Same as <see cref="Forward"/> (PyTorch's <c>module(x)</c>).</summary>
    public TResult Call(TInput input) => Forward(input);
}
