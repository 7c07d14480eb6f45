using BenchmarkDotNet.Running;
using NasBench.Benchmarks.Comparison;
using NasBench.Benchmarks.Infrastructure;
using NasBench.Benchmarks.Kernels;

if (args.Length > 0 && args[0] == "sgemm-time")
{
    // Quick side-by-side timing against the OpenBLAS peer (see Kernels/SgemmTiming.cs).
    return SgemmTiming.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "supernet-time")
{
    // Side-by-side with shared/peers/torch_supernet.py, including peak RSS (see Search/SupernetTiming.cs).
    return NasBench.Benchmarks.Search.SupernetTiming.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "mixedop-time")
{
    return NasBench.Benchmarks.Search.MixedOpTiming.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "mixedop-profile")
{
    return NasBench.Benchmarks.Search.MixedOpProfile.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "kernel-time")
{
    return KernelTiming.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "rq-time")
{
    return NasBench.Benchmarks.Kernels.RayleighTiming.Run(args[1..]);
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
var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, new NasBenchConfig());
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
