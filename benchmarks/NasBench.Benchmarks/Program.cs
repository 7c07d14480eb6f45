using BenchmarkDotNet.Running;
using NasBench.Benchmarks.Comparison;
using NasBench.Benchmarks.Infrastructure;
using NasBench.Benchmarks.Kernels;

if (args.Length > 0 && args[0] == "sgemm-time")
{
    // Quick side-by-side timing against the OpenBLAS peer (see Kernels/SgemmTiming.cs).
    return Timing(SgemmTiming.Run, args);
}

if (args.Length > 0 && args[0] == "supernet-time")
{
    // Side-by-side with shared/peers/torch_supernet.py, including peak RSS (see Search/SupernetTiming.cs).
    return Timing(NasBench.Benchmarks.Search.SupernetTiming.Run, args);
}

if (args.Length > 0 && args[0] == "mixedop-time")
{
    return Timing(NasBench.Benchmarks.Search.MixedOpTiming.Run, args);
}

if (args.Length > 0 && args[0] == "mixedop-profile")
{
    return Timing(NasBench.Benchmarks.Search.MixedOpProfile.Run, args);
}

if (args.Length > 0 && args[0] == "kernel-time")
{
    return Timing(KernelTiming.Run, args);
}

if (args.Length > 0 && args[0] == "rq-time")
{
    return Timing(NasBench.Benchmarks.Kernels.RayleighTiming.Run, args);
}

if (args.Length > 0 && args[0] == "cuda-time")
{
    // Each CUDA kernel against its CPU twin on this machine, with a GPU/CPU agreement check (see Kernels/CudaTiming.cs).
    return Timing(CudaTiming.Run, args);
}

// `compare` is ours (two runs' full JSON reports → regressions); everything else is BenchmarkDotNet's.
if (args.Length > 0 && args[0] == "compare")
{
    return CompareCommand.Run(args[1..], Console.Out, Console.Error);
}

try
{
    args = ThreadsParam.ApplyArgument(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}

// BenchmarkSwitcher gives BenchmarkDotNet's own command line (--filter, --job Dry, --list flat, ...).
// CUDA classes join only where a device is found (NeedsCudaDeviceAttribute).
var summaries = BenchmarkSwitcher.FromTypes(BenchmarkTypes.Available(Console.Error)).Run(args, new NasBenchConfig());
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;

// Runs a quick timing verb on the arguments after its name; a bad argument prints what was expected and exits with
// 2, like a missing one.
static int Timing(Func<string[], int> run, string[] args)
{
    try
    {
        return run(args[1..]);
    }
    catch (TimingUsageException e)
    {
        Console.Error.WriteLine($"{args[0]}: {e.Message}");
        return 2;
    }
}
