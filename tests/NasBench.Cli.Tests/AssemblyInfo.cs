// The CLI applies --threads to the process-wide CpuParallel.MaxThreads; tests that invoke it must not interleave.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
