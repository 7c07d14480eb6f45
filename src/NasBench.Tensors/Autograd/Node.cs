namespace NasBench.Tensors.Autograd;

/// <summary>One recorded op on the tape: the inputs it read and how to push its output gradient back to them.</summary>
internal sealed class Node(string opName, Tensor[] inputs, BackwardFunction backward)
{
    public string OpName { get; } = opName;

    public Tensor[] Inputs { get; } = inputs;

    public BackwardFunction Backward { get; } = backward;
}
