using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using ClickstreamApi.Events;

namespace ClickstreamApi.Benchmarks.Events;

/// <summary>
/// Floors for issue 15's per-event budgets (0.3 µs to simulate and serialize, 0.35 µs to parse):
/// the least any writer or reader of the same realistic events can cost on this machine, next to the
/// service's own (<see cref="ClickEventBenchmarks"/>), so a missed budget shows its distance to what
/// is possible at all.
/// </summary>
/// <remarks>
/// <para><b>Write floor</b> (<see cref="AssembleFromPieces"/>): each event's JSON assembled from UTF-8
/// pieces prepared in advance (everything but the per-event values), the event id, seq and timestamp
/// formatted with <see cref="Utf8Formatter"/> into one reused buffer: the "encode once and assemble
/// events from the pieces" direction with nothing left but copying and formatting. The output is the
/// serializer's bytes (checked in the setup), the timestamp copied after being formatted.</para>
/// <para><b>Read floor</b> (<see cref="ReadTokensOnly"/>): one validating <see cref="Utf8JsonReader"/>
/// pass over each message that converts nothing: the least the direction "extract only what analytics
/// and integrity need, in one validating pass" can cost.</para>
/// </remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class EventFloorBenchmarks
{
    private const int EventsPerInvoke = 4096;

    private readonly ClickEventSerializer _serializer = new();
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly byte[] _scratch = new byte[64];
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
            if (!Assemble(_pieces[i], _events[i]).SequenceEqual(_messages[i]))
            {
                throw new InvalidOperationException($"The assembled event {i} differs from the serializer's bytes.");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _serializer.Dispose();

    /// <summary>The service's writer (as ClickEventBenchmarks.SerializeEvent), for the ratio.</summary>
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
    public int AssembleFromPieces()
    {
        var bytes = 0;
        for (var i = 0; i < _events.Length; i++)
        {
            bytes += Assemble(_pieces[i], _events[i]).Length;
        }

        return bytes;
    }

    /// <summary>The service's reader (as ClickEventBenchmarks.ReadEvent), for the ratio.</summary>
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

    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    [BenchmarkCategory("Read")]
    public int ReadTokensOnly()
    {
        var tokens = 0;
        foreach (var message in _messages)
        {
            var reader = new Utf8JsonReader(message);
            while (reader.Read())
            {
                tokens++;
            }
        }

        return tokens;
    }

    private ReadOnlySpan<byte> Assemble(EventPieces pieces, ClickEvent clickEvent)
    {
        _buffer.ResetWrittenCount();
        Append(pieces.BeforeId);
        Format(clickEvent.EventId);
        Append(pieces.BeforeSeq);
        Format(clickEvent.Seq ?? 0);
        Append(pieces.BeforeTime);
        // The cost of formatting the timestamp, then its bytes as the serializer trims them.
        Utf8Formatter.TryFormat(clickEvent.OccurredAt.UtcDateTime, _scratch, out _, new StandardFormat('O'));
        Append(pieces.Time);
        Append(pieces.Rest);
        return _buffer.WrittenSpan;
    }

    private void Append(byte[] piece)
    {
        piece.CopyTo(_buffer.GetSpan(piece.Length));
        _buffer.Advance(piece.Length);
    }

    private void Format(Guid value)
    {
        Utf8Formatter.TryFormat(value, _buffer.GetSpan(36), out var written);
        _buffer.Advance(written);
    }

    private void Format(long value)
    {
        Utf8Formatter.TryFormat(value, _buffer.GetSpan(20), out var written);
        _buffer.Advance(written);
    }

    /// <summary>An event's JSON cut around its per-event values: the id, the seq and the timestamp.</summary>
    private sealed record EventPieces(byte[] BeforeId, byte[] BeforeSeq, byte[] BeforeTime, byte[] Time, byte[] Rest)
    {
        public static EventPieces Split(byte[] json, ClickEvent clickEvent)
        {
            var span = json.AsSpan();
            var id = span.IndexOf(Encoding.UTF8.GetBytes(clickEvent.EventId.ToString()));
            var seqName = span.IndexOf("\"seq\":"u8) + 6;
            var seqEnd = seqName + span[seqName..].IndexOf((byte)',');
            var time = span.IndexOf("\"occurredAt\":\""u8) + 14;
            var timeEnd = time + span[time..].IndexOf((byte)'"');
            if (id < 0 || seqName < 6 || time < 14 || !(id < seqName && seqName < time))
            {
                throw new InvalidOperationException("An event without its id, seq or occurredAt in the expected order.");
            }

            return new EventPieces(span[..id].ToArray(), span[(id + 36)..seqName].ToArray(), span[seqEnd..time].ToArray(), span[time..timeEnd].ToArray(), span[timeEnd..].ToArray());
        }
    }
}
