using BenchmarkDotNet.Attributes;
using ClickstreamApi.Generation;
using ClickstreamApi.Generation.Pacing;

namespace ClickstreamApi.Benchmarks.Generation;

/// <summary>
/// Taking events off the wall-clock schedule, per event, on the system clock, at 100 million events
/// a second so that every call finds events due (batches of up to 4,096, as the generator's loop
/// takes them). <c>TakeWithDueTime</c> is <see cref="RealTimeSchedule.Take"/> (the due time from the
/// pacer, then both clocks read and the due time put on the wall clock); <c>TakeWallTimeOnly</c> is
/// what it did before issue 15: count the event and read the wall clock.
/// </summary>
[MemoryDiagnoser]
public class RealTimeScheduleBenchmarks
{
    private const int TakesPerInvoke = 4096;
    private const double Rate = 100_000_000;

    private RealTimeSchedule _schedule = null!;
    private RatePacer _pacer = null!;

    [Params(RateProfileKind.Constant, RateProfileKind.Poisson, RateProfileKind.Daily)]
    public RateProfileKind Profile { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _schedule = new RealTimeSchedule(new RateProfile(Profile, Rate), new Random(1), TimeProvider.System);
        _pacer = new RatePacer(TimeProvider.System);
        _pacer.Start(new RateProfile(Profile, Rate), new Random(1));
    }

    [Benchmark(OperationsPerInvoke = TakesPerInvoke)]
    public DateTimeOffset? TakeWithDueTime()
    {
        DateTimeOffset? last = null;
        for (var taken = 0L; taken < TakesPerInvoke;)
        {
            var due = _schedule.Due(TakesPerInvoke - taken);
            for (var i = 0L; i < due; i++)
            {
                last = _schedule.Take().ScheduledAt;
            }

            taken += due;
        }

        return last;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = TakesPerInvoke)]
    public DateTimeOffset TakeWallTimeOnly()
    {
        var last = default(DateTimeOffset);
        for (var taken = 0L; taken < TakesPerInvoke;)
        {
            var due = _pacer.Due(TakesPerInvoke - taken);
            for (var i = 0L; i < due; i++)
            {
                _pacer.Advance(1);
                last = TimeProvider.System.GetUtcNow();
            }

            taken += due;
        }

        return last;
    }
}
