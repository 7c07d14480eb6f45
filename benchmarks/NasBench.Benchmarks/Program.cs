using BenchmarkDotNet.Running;
using NasBench.Benchmarks.Infrastructure;

// BenchmarkSwitcher gives BenchmarkDotNet's own command line (--filter, --job Dry, --list flat, ...).
var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, new NasBenchConfig());
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
