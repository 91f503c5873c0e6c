using BenchmarkDotNet.Attributes;
using ClickstreamApi.Consumption;
using ClickstreamApi.Events;

namespace ClickstreamApi.Benchmarks.Consumption;

/// <summary>
/// The consumer's buffer at its default capacity, always full: appending (per event) and the
/// /api/events query (per call, 100 items, optionally filtered).
/// </summary>
[MemoryDiagnoser]
public class RingBufferBenchmarks
{
    private const int Capacity = 10_000;
    private const int AppendsPerInvoke = 4096;

    private ConsumedEvent[] _events = null!;
    private RingBuffer<ConsumedEvent> _buffer = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var sample = new SimulatedRun().Take(Capacity);
        _events = new ConsumedEvent[Capacity];
        for (var i = 0; i < Capacity; i++)
        {
            _events[i] = new ConsumedEvent(sample[i], partition: i % 3, offset: i / 3, sample[i].OccurredAt);
        }

        // Appending cycles through the same events, so the buffer's contents never change.
        _buffer = new RingBuffer<ConsumedEvent>(Capacity);
        foreach (var consumed in _events)
        {
            _buffer.Append(consumed);
        }
    }

    [Benchmark(OperationsPerInvoke = AppendsPerInvoke)]
    public long RingBufferAppend()
    {
        var sequence = 0L;
        for (var i = 0; i < AppendsPerInvoke; i++)
        {
            sequence = _buffer.Append(_events[_next]);
            _next = _next + 1 == _events.Length ? 0 : _next + 1;
        }

        return sequence;
    }

    [Benchmark]
    public List<ConsumedEvent> RingBufferNewest100() => _buffer.Newest(100);

    /// <summary>Purchases are rare, so this scans most or all of the buffer to find up to 100.</summary>
    [Benchmark]
    public List<ConsumedEvent> RingBufferNewest100Purchases() =>
        _buffer.Newest(100, static consumed => consumed.EventType == EventTypes.Purchase);
}
