using NasBench.Hardware;
using NasBench.Hardware.Cost;

namespace NasBench.Search.Splitting.Networks;

/// <summary>Counts the operations a <see cref="GrowableNetwork"/> emits: <c>conv1x1</c>, <c>conv3x3</c> (+ BN),
/// <c>dwconv3x3</c> (+ BN) and <c>linear</c> (+ bias).</summary>
/// <remarks>MACs follow the usual convention (multiplies of conv and linear layers only; BN, activations and pooling
/// are not counted). Output size uses padding k/2: ⌈H/s⌉.</remarks>
public sealed class GrowableOperationAnalyzer : IOperationAnalyzer
{
    public static GrowableOperationAnalyzer Instance { get; } = new();

    public OperationCounts Count(OperationConfig operation)
    {
        long outPlane = (long)operation.OutHeight * operation.OutWidth * operation.Batch;
        switch (operation.Operation)
        {
            case "conv1x1" or "conv3x3":
            {
                long k2 = (long)operation.Kernel * operation.Kernel;
                long weights = k2 * operation.InChannels * operation.OutChannels;
                return new(weights + (2L * operation.OutChannels), weights * outPlane,
                    4L * operation.OutChannels * outPlane);
            }
            case "dwconv3x3":
                return new(11L * operation.OutChannels, 9L * operation.OutChannels * outPlane,
                    4L * operation.OutChannels * outPlane);
            case "linear":
            {
                long weights = (long)operation.InChannels * operation.OutChannels;
                return new(weights + operation.OutChannels, weights * operation.Batch,
                    4L * operation.OutChannels * operation.Batch);
            }
            default:
                throw new ArgumentException(
                    $"GrowableOperationAnalyzer: unknown operation '{operation.Operation}' in {operation.Key}; expected "
                    + "conv1x1, conv3x3, dwconv3x3 or linear.", nameof(operation));
        }
    }
}
