using BenchmarkDotNet.Attributes;
using ClickstreamApi.Generation;
using ClickstreamApi.Generation.Pacing;

namespace ClickstreamApi.Benchmarks.Generation;

/// <summary>
/// One pass of the generator loop's pacing (Due, Advance, UntilNext) on the real clock at a
/// constant 100,000 events/s. The loop runs far faster than that, so most passes find nothing due,
/// as the real loop does between batches.
/// </summary>
[MemoryDiagnoser]
public class RatePacerBenchmarks
{
    private const int PassesPerInvoke = 4096;

    // GeneratorService's batch limit.
    private const long MaxBatch = 4096;

    private readonly RatePacer _pacer = new(TimeProvider.System);

    [GlobalSetup]
    public void Setup() => _pacer.Start(RateProfile.Constant(100_000), new Random(1));

    [Benchmark(OperationsPerInvoke = PassesPerInvoke)]
    public TimeSpan PacerDueAdvance()
    {
        var wait = TimeSpan.Zero;
        for (var i = 0; i < PassesPerInvoke; i++)
        {
            _pacer.Advance(_pacer.Due(MaxBatch));
            wait = _pacer.UntilNext();
        }

        return wait;
    }
}
