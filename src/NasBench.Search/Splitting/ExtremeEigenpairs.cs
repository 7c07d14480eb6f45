namespace NasBench.Search.Splitting;

/// <summary>Smallest and largest eigenvalue of a splitting matrix with unit eigenvectors.</summary>
public sealed record ExtremeEigenpairs(double MinValue, float[] MinVector, double MaxValue, float[] MaxVector);
