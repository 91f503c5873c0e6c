using BenchmarkDotNet.Attributes;
using ClickstreamApi.Generation;
using ClickstreamApi.Generation.Pacing;

namespace ClickstreamApi.Benchmarks.Generation;

/// <summary>
/// <see cref="SimulatedSchedule.Take"/> in a backfill (as fast as possible, from Monday
/// 2026-11-02 00:00 UTC) at 100 events/s: the constant profile (t = k / rate) against the daily
/// one, whose <see cref="DailyCurve.SecondsUntilEvent"/> inverts N(t) with Newton steps for every
/// event. The schedule starts again at Monday 00:00 after every 8,640,000 events (the day a
/// backfill of 2026-11-02 generates), so the figures average over that day's hours whatever the
/// number of iterations (the Newton steps needed depend on the hour and on how far into the run).
/// </summary>
[MemoryDiagnoser]
public class SimulatedScheduleBenchmarks
{
    private const int TakesPerInvoke = 4096;

    // One simulated weekday at 100 events/s.
    private const long DayEvents = 8_640_000;

    private SimulatedSchedule _schedule = null!;
    private long _taken;

    [Params(RateProfileKind.Constant, RateProfileKind.Daily)]
    public RateProfileKind Profile { get; set; }

    [GlobalSetup]
    public void Setup() => _schedule = BackfillRun.NewSchedule(Profile);

    [Benchmark(OperationsPerInvoke = TakesPerInvoke)]
    public DateTimeOffset ScheduleTake()
    {
        if (_taken >= DayEvents)
        {
            _schedule = BackfillRun.NewSchedule(Profile);
            _taken = 0;
        }

        var last = default(DateTimeOffset);
        for (var i = 0; i < TakesPerInvoke; i++)
        {
            last = _schedule.Take().At;
        }

        _taken += TakesPerInvoke;
        return last;
    }
}
