using BenchmarkDotNet.Attributes;
using ClickstreamApi.Events;

namespace ClickstreamApi.Benchmarks.Events;

/// <summary>Serializing and reading realistic events, each benchmark cycling through the same sample.</summary>
[MemoryDiagnoser]
public class ClickEventBenchmarks
{
    private const int EventsPerInvoke = 4096;

    private readonly ClickEventSerializer _serializer = new();
    private ClickEvent[] _events = null!;
    private byte[][] _messages = null!;

    [GlobalSetup]
    public void Setup()
    {
        _events = new SimulatedRun().Take(EventsPerInvoke);
        _messages = new byte[_events.Length][];
        for (var i = 0; i < _events.Length; i++)
        {
            _messages[i] = _serializer.Serialize(_events[i]);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _serializer.Dispose();

    /// <summary>Into the serializer's reused buffer: the cost of the JSON alone, without the copy to a byte[].</summary>
    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public int SerializeEvent()
    {
        var bytes = 0;
        foreach (var clickEvent in _events)
        {
            bytes += _serializer.Write(clickEvent).Length;
        }

        return bytes;
    }

    /// <summary>What the consumer does with each message value.</summary>
    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public int ReadEvent()
    {
        var read = 0;
        foreach (var message in _messages)
        {
            if (ClickEventReader.TryRead(message, out _, out _))
            {
                read++;
            }
        }

        return read;
    }
}
