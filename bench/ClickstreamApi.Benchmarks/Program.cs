using BenchmarkDotNet.Running;

namespace ClickstreamApi.Benchmarks;

// Not a top-level program: the service's own Program lives in the global namespace.
internal static class Program
{
    private static void Main(string[] args) =>
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, BenchmarkConfig.Create());
}
