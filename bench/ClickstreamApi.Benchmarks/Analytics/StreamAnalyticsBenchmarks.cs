using BenchmarkDotNet.Attributes;
using ClickstreamApi.Analytics;
using ClickstreamApi.Events;
using Microsoft.Extensions.Time.Testing;

namespace ClickstreamApi.Benchmarks.Analytics;

/// <summary>
/// The live analytics behind /api/stats as the consumer thread drives them: <c>Record</c> once per
/// consumed event (rates, top pages, active users, event-time windows, latency, run integrity),
/// and the snapshot published every 500 ms (per call), with a minute of traffic at 10,000 events/s
/// behind it so every window and top list is full.
/// </summary>
[MemoryDiagnoser]
public class StreamAnalyticsBenchmarks
{
    private const int Events = 60_000;
    private const int RecordsPerInvoke = 4096;
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(4);

    private ConsumedEvent[] _events = null!;
    private FakeTimeProvider _time = null!;
    private StreamAnalytics _analytics = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var sample = new SimulatedRun().Take(Events);
        _events = new ConsumedEvent[Events];
        for (var i = 0; i < Events; i++)
        {
            _events[i] = new ConsumedEvent(sample[i], partition: i % 6, offset: i / 6, sample[i].OccurredAt) { Sequence = i + 1 };
        }

        _time = new FakeTimeProvider(_events[0].OccurredAt);
        _analytics = new StreamAnalytics(_time);
        foreach (var consumed in _events)
        {
            _time.SetUtcNow(consumed.OccurredAt + Latency);
            _analytics.Record(consumed, consumed.OccurredAt + Latency);
        }
    }

    [Benchmark(OperationsPerInvoke = RecordsPerInvoke)]
    public void AnalyticsRecord()
    {
        // The clock stays at the end of the sample: events replay as if consumed late, which the
        // windows accept, so the state stays the same size whatever the number of iterations.
        var now = _time.GetUtcNow();
        for (var i = 0; i < RecordsPerInvoke; i++)
        {
            _analytics.Record(_events[_next], now);
            _next = _next + 1 == _events.Length ? 0 : _next + 1;
        }
    }

    [Benchmark]
    public AnalyticsSnapshot AnalyticsSnapshot()
    {
        // Each call is due: the fake clock moves past the publish interval.
        _time.Advance(StreamAnalytics.PublishInterval);
        _analytics.PublishIfDue();
        return _analytics.Latest;
    }
}
