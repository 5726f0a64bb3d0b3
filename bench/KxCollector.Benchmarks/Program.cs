using BenchmarkDotNet.Running;
using KxCollector.Benchmarks.Archive;
using KxCollector.Benchmarks.Store;

// The store's figures need a PostgreSQL server and run for a fixed time (bench/store-bench.sh sets them up);
// everything else is a BenchmarkDotNet micro-benchmark.
return args.FirstOrDefault() switch
{
    "store-data" => StoreDataGenerator.Run(args),
    "store-lag" => await StoreLagRun.RunAsync(args),
    "archive-ratio" => RealShapedDay.Run(args),
    _ => RunBenchmarks(args),
};

static int RunBenchmarks(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(StoreLagRun).Assembly).Run(args);
    return 0;
}
