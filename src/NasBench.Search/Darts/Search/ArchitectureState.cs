using NasBench.Tensors.Nn;

namespace NasBench.Search.Darts.Search;

/// <summary>Registers a supernet's α as module parameters so α and its Adam state checkpoint like any model.</summary>
internal sealed class ArchitectureState : Module
{
    public ArchitectureState(Parameter alphaNormal, Parameter alphaReduce)
    {
        RegisterParameter("alpha_normal", alphaNormal);
        RegisterParameter("alpha_reduce", alphaReduce);
    }
}
