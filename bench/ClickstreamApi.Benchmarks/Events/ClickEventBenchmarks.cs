using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using ClickstreamApi.Events;

namespace ClickstreamApi.Benchmarks.Events;

/// <summary>
/// Serializing and reading realistic events, each benchmark cycling through the same sample: the
/// service's writer and reader, each against the alternative it was chosen over (System.Text.Json
/// source generation for the writer, source-generated deserialization plus a validator for the reader),
/// and against the floor of each (issue 15): <see cref="AssembleFromPieces"/>, the least a writer of the
/// same bytes can cost, and <see cref="ReadTokensOnly"/>, one validating <see cref="System.Text.Json.Utf8JsonReader"/>
/// pass that converts nothing, the least a single-pass reader can cost.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ClickEventBenchmarks
{
    private const int EventsPerInvoke = 4096;

    // Messages every reader must reject the same way: the generated reader is only a fair comparison if it does.
    private static readonly string[] BadMessages =
    [
        "",
        "[1,2,3]",
        "{\"eventId\":",
        """{"eventId":"nope","userId":"1","eventType":"click","page":"/","occurredAt":"2026-11-24T21:18:00Z"}""",
        """{"eventId":"0195c8a4-5d4e-7c1a-9f00-0123456789ab","eventType":"click","page":"/","occurredAt":"2026-11-24T21:18:00Z"}""",
        """{"eventId":"0195c8a4-5d4e-7c1a-9f00-0123456789ab","userId":"","eventType":"click","page":"/","occurredAt":"2026-11-24T21:18:00Z"}""",
        """{"eventId":"0195c8a4-5d4e-7c1a-9f00-0123456789ab","userId":42,"eventType":"click","page":"/","occurredAt":"2026-11-24T21:18:00Z"}""",
        """{"eventId":"0195c8a4-5d4e-7c1a-9f00-0123456789ab","userId":"1","eventType":"click","page":"/","occurredAt":"2026-11-24T21:18:00Z","status":99}""",
        """{"eventId":"0195c8a4-5d4e-7c1a-9f00-0123456789ab","userId":"1","eventType":"click","page":"/","occurredAt":"2026-11-24T21:18:00Z","amount":"12"}""",
        """{"eventId":"0195c8a4-5d4e-7c1a-9f00-0123456789ab","userId":"1","eventType":"click","page":"/","occurredAt":"2026-11-24T21:18:00Z","productIds":[17]}""",
        """{"eventId":"0195c8a4-5d4e-7c1a-9f00-0123456789ab","userId":"1","eventType":"click","page":"/","occurredAt":"2026-11-24T21:18:00Z"} trailing""",
    ];

    private readonly ClickEventSerializer _serializer = new();
    private readonly GeneratedEventWriter _generated = new();
    private readonly Utf8StringPool _pool = new();
    private readonly PieceAssembler _assembler = new();
    private ClickEvent[] _events = null!;
    private byte[][] _messages = null!;
    private EventPieces[] _pieces = null!;

    [GlobalSetup]
    public void Setup()
    {
        _events = new SimulatedRun().Take(EventsPerInvoke);
        _messages = new byte[_events.Length][];
        _pieces = new EventPieces[_events.Length];
        for (var i = 0; i < _events.Length; i++)
        {
            _messages[i] = _serializer.Serialize(_events[i]);
            _pieces[i] = EventPieces.Split(_messages[i], _events[i]);
            if (!_generated.Write(_events[i]).SequenceEqual(_messages[i]) || !_assembler.Assemble(_pieces[i], _events[i]).SequenceEqual(_messages[i]))
            {
                throw new InvalidOperationException($"The writers disagree on event {i}.");
            }

            if (!ClickEventReader.TryRead(_messages[i], out var read, out _)
                || !GeneratedEventReader.TryRead(_messages[i], out var generated, out _)
                || read with { ProductIds = null } != generated with { ProductIds = null })
            {
                throw new InvalidOperationException($"The readers disagree on event {i}.");
            }
        }

        foreach (var bad in BadMessages)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(bad);
            ClickEventReader.TryRead(bytes, out _, out var expected);
            GeneratedEventReader.TryRead(bytes, out _, out var actual);
            if (expected.Reason != actual.Reason || (expected.Reason != RejectionReasons.NotJson && expected.Detail != actual.Detail))
            {
                throw new InvalidOperationException($"The readers reject {bad} differently: {expected} and {actual}.");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _serializer.Dispose();
        _generated.Dispose();
    }

    /// <summary>The service's writer into its reused buffer: the cost of the JSON alone, without the copy to a byte[].</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = EventsPerInvoke)]
    [BenchmarkCategory("Write")]
    public int SerializeEvent()
    {
        var bytes = 0;
        foreach (var clickEvent in _events)
        {
            bytes += _serializer.Write(clickEvent).Length;
        }

        return bytes;
    }

    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    [BenchmarkCategory("Write")]
    public int SerializeEventGenerated()
    {
        var bytes = 0;
        foreach (var clickEvent in _events)
        {
            bytes += _generated.Write(clickEvent).Length;
        }

        return bytes;
    }

    /// <summary>The write floor: the same bytes assembled from prepared pieces (<see cref="PieceAssembler"/>).</summary>
    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    [BenchmarkCategory("Write")]
    public int AssembleFromPieces()
    {
        var bytes = 0;
        for (var i = 0; i < _events.Length; i++)
        {
            bytes += _assembler.Assemble(_pieces[i], _events[i]).Length;
        }

        return bytes;
    }

    /// <summary>The reader on each message value, without the consumer's string pool.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = EventsPerInvoke)]
    [BenchmarkCategory("Read")]
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

    /// <summary>What the consumer does with each message value: the reader with its string pool, warmed by the sample.</summary>
    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    [BenchmarkCategory("Read")]
    public int ReadEventPooled()
    {
        var read = 0;
        foreach (var message in _messages)
        {
            if (ClickEventReader.TryRead(message, _pool, out _, out _))
            {
                read++;
            }
        }

        return read;
    }

    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    [BenchmarkCategory("Read")]
    public int ReadEventGenerated()
    {
        var read = 0;
        foreach (var message in _messages)
        {
            if (GeneratedEventReader.TryRead(message, out _, out _))
            {
                read++;
            }
        }

        return read;
    }

    /// <summary>The read floor: every token of each message read by one validating pass, nothing converted.</summary>
    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    [BenchmarkCategory("Read")]
    public int ReadTokensOnly()
    {
        var tokens = 0;
        foreach (var message in _messages)
        {
            var reader = new System.Text.Json.Utf8JsonReader(message);
            while (reader.Read())
            {
                tokens++;
            }
        }

        return tokens;
    }
}
