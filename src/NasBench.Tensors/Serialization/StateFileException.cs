namespace NasBench.Tensors.Serialization;

/// <summary>A state file could not be read or does not fit the module; the message names the file, the tensor (when
/// there is one), what was expected and what was found.</summary>
public sealed class StateFileException : IOException
{
    public StateFileException()
    {
    }

    public StateFileException(string message)
        : base(message)
    {
    }

    public StateFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public StateFileException(string fileName, string? tensorName, string problem, string expected, string actual,
        Exception? innerException = null)
        : base(Compose(fileName, tensorName, problem, expected, actual), innerException)
    {
        FileName = fileName;
        TensorName = tensorName;
        Expected = expected;
        Actual = actual;
    }

    /// <summary>The file (or "state dict") being loaded.</summary>
    public string? FileName { get; }

    /// <summary>The tensor concerned, or null for file-level problems.</summary>
    public string? TensorName { get; }

    public string? Expected { get; }

    public string? Actual { get; }

    private static string Compose(string fileName, string? tensorName, string problem, string expected, string actual)
    {
        string where = tensorName is null ? $"'{fileName}'" : $"'{fileName}', tensor '{tensorName}'";
        return $"{where}: {problem}; expected {expected}, actual {actual}.";
    }
}
