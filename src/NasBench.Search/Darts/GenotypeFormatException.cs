namespace NasBench.Search.Darts;

/// <summary>A genotype (JSON, text or constructor arguments) does not describe a valid DARTS architecture.</summary>
public sealed class GenotypeFormatException : FormatException
{
    public GenotypeFormatException(string message) : base(message)
    {
    }

    public GenotypeFormatException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public GenotypeFormatException()
    {
    }
}
