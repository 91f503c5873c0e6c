using BenchmarkDotNet.Attributes;
using ClickstreamApi.Benchmarks.Events;
using ClickstreamApi.Events;

namespace ClickstreamApi.Benchmarks.Generation;

/// <summary>The generator's per-event work: simulate the next click, then turn it into a Kafka message value.</summary>
[MemoryDiagnoser]
public class GenerationBenchmarks
{
    private const int EventsPerInvoke = 4096;

    private readonly ClickEventSerializer _serializer = new();
    private readonly GeneratedEventWriter _generated = new();
    private SimulatedRun _run = null!;

    [GlobalSetup]
    public void Setup() => _run = new SimulatedRun();

    [GlobalCleanup]
    public void Cleanup()
    {
        _serializer.Dispose();
        _generated.Dispose();
    }

    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public ClickEvent GenerateEvent()
    {
        ClickEvent last = null!;
        for (var i = 0; i < EventsPerInvoke; i++)
        {
            last = _run.Next().Event;
        }

        return last;
    }

    /// <summary>What GeneratorService does per event before handing key and value to the producer.</summary>
    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public long GenerateAndSerialize()
    {
        var bytes = 0L;
        for (var i = 0; i < EventsPerInvoke; i++)
        {
            var (clickEvent, key) = _run.Next();
            bytes += key.Length + _serializer.Serialize(clickEvent).Length;
        }

        return bytes;
    }

    /// <summary>The same with the source-generated writer the hand-written one was kept over: the choice measured where the writer runs.</summary>
    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public long GenerateAndSerializeGenerated()
    {
        var bytes = 0L;
        for (var i = 0; i < EventsPerInvoke; i++)
        {
            var (clickEvent, key) = _run.Next();
            bytes += key.Length + _generated.Write(clickEvent).ToArray().Length;
        }

        return bytes;
    }
}
