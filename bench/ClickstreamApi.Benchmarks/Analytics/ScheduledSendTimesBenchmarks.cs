using BenchmarkDotNet.Attributes;
using ClickstreamApi.Analytics;

namespace ClickstreamApi.Benchmarks.Analytics;

/// <summary>
/// What handing each event's scheduled send time from the generator to the consumer costs, per
/// event, in the service's ring (2^19 entries): the generator's <see cref="ScheduledSendTimes.Record"/>,
/// the analytics sink's <see cref="ScheduledSendTimes.Find"/> of an event of the run being generated
/// (its run id a string of its own, as after deserialization, so the id is compared by content), of
/// another instance's run (not found: every one of the four recent runs is compared), and both in
/// turn as the two threads do, the reader 1,000 events behind. One thread: the cache traffic between
/// the generator's and the consumer's cores is not in these figures.
/// </summary>
[MemoryDiagnoser]
public class ScheduledSendTimesBenchmarks
{
    private const int PerInvoke = 4096;
    private const long ReaderLag = 1_000;
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly ScheduledSendTimes _times = new();
    private string _consumedRunId = null!;
    private long _seq;
    private long _found;

    [GlobalSetup]
    public void Setup()
    {
        // Three earlier runs, so an unknown id is compared with four.
        foreach (var earlier in new[] { "01a2aaaa-0000-7000-8000-000000000001", "01a2aaaa-0000-7000-8000-000000000002", "01a2aaaa-0000-7000-8000-000000000003" })
        {
            _times.BeginRun(earlier);
        }

        var runId = Guid.CreateVersion7(T0).ToString();
        _times.BeginRun(runId);
        _consumedRunId = new string(runId.AsSpan());
        for (_seq = 1; _seq <= ScheduledSendTimes.DefaultCapacity; _seq++)
        {
            _times.Record(_seq, At(_seq));
        }
    }

    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public void Record()
    {
        for (var i = 0; i < PerInvoke; i++, _seq++)
        {
            _times.Record(_seq, At(_seq));
        }
    }

    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public long Find()
    {
        // The newest half of the ring: every lookup is found.
        var newest = _seq - 1;
        for (var i = 0; i < PerInvoke; i++)
        {
            var seq = newest - (ScheduledSendTimes.DefaultCapacity / 2) + ((_found + i) % (ScheduledSendTimes.DefaultCapacity / 2));
            if (_times.Find(_consumedRunId, seq) is not null)
            {
                _found++;
            }
        }

        return _found;
    }

    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public long FindOtherInstancesRun()
    {
        var found = 0L;
        for (var i = 0; i < PerInvoke; i++)
        {
            if (_times.Find("01a2bbbb-0000-7000-8000-00000000000f", i + 1) is not null)
            {
                found++;
            }
        }

        return found;
    }

    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public long RecordThenFind()
    {
        var found = 0L;
        for (var i = 0; i < PerInvoke; i++, _seq++)
        {
            _times.Record(_seq, At(_seq));
            if (_times.Find(_consumedRunId, _seq - ReaderLag) is not null)
            {
                found++;
            }
        }

        return found;
    }

    private static DateTimeOffset At(long seq) => T0 + TimeSpan.FromTicks(seq * 200);
}
