using BenchmarkDotNet.Attributes;
using ClickstreamApi.Generation;

namespace ClickstreamApi.Benchmarks.Generation;

/// <summary>
/// <see cref="SimulatedSchedule.Take"/> in a backfill (as fast as possible, from Monday
/// 2026-11-02 00:00 UTC) at 100 events/s: the constant profile (t = k / rate) against the daily
/// one, whose <see cref="DailyCurve.SecondsUntilEvent"/> inverts N(t) with Newton steps for every
/// event. The schedule keeps going across invocations, so the daily figures average over the
/// hours (and, in a long run, days) the benchmark reaches.
/// </summary>
[MemoryDiagnoser]
public class SimulatedScheduleBenchmarks
{
    private const int TakesPerInvoke = 4096;

    private SimulatedSchedule _schedule = null!;

    [Params(RateProfileKind.Constant, RateProfileKind.Daily)]
    public RateProfileKind Profile { get; set; }

    [GlobalSetup]
    public void Setup() => _schedule = BackfillRun.NewSchedule(Profile);

    [Benchmark(OperationsPerInvoke = TakesPerInvoke)]
    public DateTimeOffset ScheduleTake()
    {
        var last = default(DateTimeOffset);
        for (var i = 0; i < TakesPerInvoke; i++)
        {
            last = _schedule.Take();
        }

        return last;
    }
}
