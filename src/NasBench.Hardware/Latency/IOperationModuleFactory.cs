using NasBench.Tensors;
using NasBench.Tensors.Nn;

namespace NasBench.Hardware.Latency;

/// <summary>Implemented by a search space: builds the module that runs one <see cref="OperationConfig"/> on its own,
/// so a target can time it.</summary>
public interface IOperationModuleFactory
{
    /// <summary>The module for <paramref name="operation"/> (evaluation form: affine BN where the space has it).
    /// </summary>
    /// <exception cref="ArgumentException">An operation name the space does not know.</exception>
    Module<Tensor, Tensor> Build(OperationConfig operation);

    /// <summary>The input shape the module takes, NCHW with N = <see cref="OperationConfig.Batch"/>.</summary>
    int[] InputShape(OperationConfig operation);
}
