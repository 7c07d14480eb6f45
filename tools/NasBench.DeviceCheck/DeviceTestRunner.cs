using System.Diagnostics;
using System.Reflection;

namespace NasBench.DeviceCheck;

/// <summary>The outcome of one test.</summary>
internal sealed record DeviceTestResult(string Name, string Outcome, double Milliseconds, string? Message);

/// <summary>Runs one test the way xunit would: a fresh instance of its class per test, the method (awaited when it
/// returns a task), then <see cref="IDisposable.Dispose"/>. An assertion or any other exception is a failure.</summary>
internal static class DeviceTestRunner
{
    public const string Passed = "pass";
    public const string Failed = "FAIL";
    public const string Skipped = "skip";

    public static DeviceTestResult Run(DeviceTestCase test)
    {
        if (test.SkipReason is { } reason)
        {
            return new DeviceTestResult(test.DisplayName, Skipped, 0, reason);
        }
        var clock = Stopwatch.StartNew();
        try
        {
            object instance = Activator.CreateInstance(test.TestClass)
                ?? throw new InvalidOperationException($"cannot create {test.TestClass.FullName}");
            try
            {
                object? returned = test.Method.Invoke(instance, Convert(test.Method, test.Arguments));
                if (returned is Task task)
                {
                    task.GetAwaiter().GetResult();
                }
            }
            finally
            {
                (instance as IDisposable)?.Dispose();
            }
            return new DeviceTestResult(test.DisplayName, Passed, clock.Elapsed.TotalMilliseconds, null);
        }
        catch (Exception e)
        {
            Exception cause = e is TargetInvocationException { InnerException: { } inner } ? inner : e;
            return new DeviceTestResult(test.DisplayName, Failed, clock.Elapsed.TotalMilliseconds,
                $"{cause.GetType().Name}: {cause.Message}\n{cause.StackTrace}");
        }
    }

    // xunit converts theory data to the parameter types (an int literal for a long parameter, say); so do we.
    private static object?[] Convert(MethodInfo method, object?[] arguments)
    {
        ParameterInfo[] parameters = method.GetParameters();
        if (parameters.Length != arguments.Length)
        {
            throw new ArgumentException(
                $"{method.Name} takes {parameters.Length} arguments, its data row has {arguments.Length}");
        }
        var converted = new object?[arguments.Length];
        for (int i = 0; i < arguments.Length; i++)
        {
            Type target = parameters[i].ParameterType;
            converted[i] = arguments[i] is { } value && !target.IsInstanceOfType(value) && value is IConvertible
                ? System.Convert.ChangeType(value, Nullable.GetUnderlyingType(target) ?? target,
                    System.Globalization.CultureInfo.InvariantCulture)
                : arguments[i];
        }
        return converted;
    }
}
