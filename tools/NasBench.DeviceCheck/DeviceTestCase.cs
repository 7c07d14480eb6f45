using System.Reflection;

namespace NasBench.DeviceCheck;

/// <summary>One test to run: a method of a concrete test class, with a theory's arguments where it has them, and
/// the reason it is skipped (null when it runs).</summary>
internal sealed record DeviceTestCase(Type TestClass, MethodInfo Method, object?[] Arguments, string? SkipReason)
{
    /// <summary>The name xunit would show: <c>Class.Method(args)</c>.</summary>
    public string DisplayName => Arguments.Length == 0
        ? $"{TestClass.Name}.{Method.Name}"
        : $"{TestClass.Name}.{Method.Name}({string.Join(", ", Arguments.Select(Format))})";

    private static string Format(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "?",
    };
}
