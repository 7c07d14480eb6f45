using NasBench.Tensors.Memory;
using NasBench.Tensors.Nn;

namespace NasBench.Tensors.Optim;

/// <summary>Base of the optimizers: a list of parameters, a learning rate and per-parameter state.</summary>
/// <remarks>State is keyed by the <see cref="Parameter"/> object. When a network grows (neuron splitting replaces a
/// parameter with a wider one), call <see cref="ReplaceParameter"/> and then rebuild the state with
/// <see cref="State"/> or let the optimizer start it fresh.</remarks>
public abstract class Optimizer
{
    private readonly List<Parameter> _parameters = [];
    private readonly Dictionary<Parameter, ParameterState> _state = new(ReferenceEqualityComparer.Instance);

    protected Optimizer(IEnumerable<Parameter> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfNegative(learningRate);
        AddParameters(parameters);
        LearningRate = learningRate;
        InitialLearningRate = learningRate;
    }

    /// <summary>The current learning rate (schedulers set it).</summary>
    public double LearningRate { get; set; }

    /// <summary>The learning rate given at construction (schedulers anneal from it).</summary>
    public double InitialLearningRate { get; }

    /// <summary>The parameters updated by <see cref="Step"/>.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Applies one update to every parameter that has a gradient.</summary>
    public void Step()
    {
        foreach (var p in _parameters)
        {
            if (p.Grad is null)
            {
                continue;
            }
            var state = State(p);
            state.Step++;
            var scratch = BufferPool.Rent(p.Numel);
            try
            {
                Update(p, p.Grad.AsReadOnlySpan(), state, scratch.AsSpan(0, p.Numel));
            }
            finally
            {
                BufferPool.Return(scratch);
            }
        }
    }

    /// <summary>Drops (or zeroes) every parameter's gradient.</summary>
    public void ZeroGrad(bool setToNone = true)
    {
        foreach (var p in _parameters)
        {
            p.ZeroGrad(setToNone);
        }
    }

    /// <summary>The state of <paramref name="parameter"/>, created empty on first use.</summary>
    public ParameterState State(Parameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        if (!_state.TryGetValue(parameter, out var state))
        {
            state = new ParameterState();
            _state[parameter] = state;
        }
        return state;
    }

    /// <summary>Whether <paramref name="parameter"/> has state yet.</summary>
    public bool HasState(Parameter parameter) => _state.ContainsKey(parameter);

    /// <summary>Forgets the state of one parameter (it restarts as on the first step).</summary>
    public void ResetState(Parameter parameter)
    {
        if (_state.Remove(parameter, out var state))
        {
            state.Clear();
        }
    }

    /// <summary>Adds parameters to be optimised (duplicates are ignored).</summary>
    public void AddParameters(IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        foreach (var p in parameters)
        {
            if (!_parameters.Contains(p))
            {
                _parameters.Add(p);
            }
        }
    }

    /// <summary>Swaps <paramref name="old"/> for <paramref name="replacement"/> in place; the old state is dropped,
    /// and the new parameter starts with empty state unless the caller fills <see cref="State"/>.</summary>
    public void ReplaceParameter(Parameter old, Parameter replacement)
    {
        ArgumentNullException.ThrowIfNull(old);
        ArgumentNullException.ThrowIfNull(replacement);
        int index = _parameters.IndexOf(old);
        if (index < 0)
        {
            throw new ArgumentException($"ReplaceParameter: {old.Describe()} is not optimised by this optimizer.");
        }
        ResetState(old);
        _parameters[index] = replacement;
    }

    /// <summary>Updates one parameter in place from its gradient.</summary>
    /// <param name="parameter">The parameter to update.</param>
    /// <param name="grad">Its gradient (read-only: the caller's Grad stays as back-prop left it).</param>
    /// <param name="state">Its state, with <see cref="ParameterState.Step"/> already counting this step.</param>
    /// <param name="scratch">A pooled buffer of the parameter's length for temporaries.</param>
    protected abstract void Update(Parameter parameter, ReadOnlySpan<float> grad, ParameterState state,
        Span<float> scratch);
}
