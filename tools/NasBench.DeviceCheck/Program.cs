// Runs the GPU and NVRTC tests of NasBench.Kernels.Tests without `dotnet test`: on the lent device machine there is
// a GPU but no .NET SDK, only the runtime we carry (README.md beside this file says how).
using System.Diagnostics;
using System.Text.Json;
using NasBench.DeviceCheck;
using NasBench.Kernels.Backends.Cuda;

const string Usage = """
    usage: NasBench.DeviceCheck [--all] [--filter TEXT] [--list] [--json FILE]
      --all          every test of NasBench.Kernels.Tests, not only those that need a GPU or NVRTC
      --filter TEXT  only tests whose name (Class.Method(args)) contains TEXT, ignoring case
      --list         print the tests that would run, and their skip reasons, without running them
      --json FILE    also write every result (name, outcome, ms, message) as JSON
    Exit status: 0 all ran tests passed; 1 a test failed; 2 bad arguments; 3 nothing ran (all skipped or none found).
    """;

bool everything = false, listOnly = false;
string? filter = null, jsonPath = null;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--all": everything = true; break;
        case "--list": listOnly = true; break;
        case "--filter" when i + 1 < args.Length: filter = args[++i]; break;
        case "--json" when i + 1 < args.Length: jsonPath = args[++i]; break;
        case "-h" or "--help": Console.WriteLine(Usage); return 0;
        default:
            Console.Error.WriteLine($"NasBench.DeviceCheck: unexpected argument '{args[i]}' (or a missing value after it)");
            Console.Error.WriteLine(Usage);
            return 2;
    }
}

Console.WriteLine($"host: {Environment.ProcessorCount} logical processors, .NET {Environment.Version}, "
    + $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
Console.WriteLine(CudaDevice.Probe().IsAvailable
    ? $"device: {CudaDevice.Get(0).Description}"
    : $"device: none ({CudaDevice.Probe().Reason})");
Console.WriteLine(Nvrtc.IsAvailable
    ? $"nvrtc: {Nvrtc.LibraryName} (CUDA {Nvrtc.Version}), architectures {string.Join(' ', Nvrtc.SupportedArchitectures)}"
    : $"nvrtc: unavailable ({Nvrtc.UnavailableReason})");

IReadOnlyList<DeviceTestCase> tests = DeviceTestCatalog.Discover(everything, filter);
if (listOnly)
{
    foreach (DeviceTestCase test in tests)
    {
        Console.WriteLine(test.SkipReason is null ? test.DisplayName : $"{test.DisplayName}  [skip: {test.SkipReason}]");
    }
    Console.WriteLine($"{tests.Count} tests");
    return 0;
}

var results = new List<DeviceTestResult>(tests.Count);
var total = Stopwatch.StartNew();
foreach (DeviceTestCase test in tests)
{
    DeviceTestResult result = DeviceTestRunner.Run(test);
    results.Add(result);
    Console.WriteLine($"{result.Outcome} {result.Milliseconds,9:F1} ms  {result.Name}");
    if (result.Outcome != DeviceTestRunner.Passed && result.Message is { } message)
    {
        Console.WriteLine("    " + message.ReplaceLineEndings("\n    "));
    }
}

int passed = results.Count(r => r.Outcome == DeviceTestRunner.Passed);
int failed = results.Count(r => r.Outcome == DeviceTestRunner.Failed);
int skipped = results.Count(r => r.Outcome == DeviceTestRunner.Skipped);
Console.WriteLine($"{results.Count} tests: {passed} passed, {failed} failed, {skipped} skipped "
    + $"in {total.Elapsed.TotalSeconds:F1} s");
if (jsonPath is not null)
{
    File.WriteAllText(jsonPath, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
}
return failed > 0 ? 1 : passed == 0 ? 3 : 0;
