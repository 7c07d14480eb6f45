namespace NasBench.Tensors.Autograd;

/// <summary>While alive, ops on this thread record no tape (PyTorch's <c>no_grad</c>). A struct: entering costs no
/// allocation.</summary>
public struct NoGradScope : IDisposable
{
    private bool _active;

    internal NoGradScope(bool active)
    {
        _active = active;
        GradMode.Disable();
    }

    public void Dispose()
    {
        if (_active)
        {
            _active = false;
            GradMode.Restore();
        }
    }
}
