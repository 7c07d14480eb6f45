namespace NasBench.Tensors.Serialization;

/// <summary>One tensor as read from a state file: its shape and values.</summary>
public sealed record StoredTensor(int[] Shape, float[] Data);
