using System.Buffers;
using System.Buffers.Text;
using System.Text;
using ClickstreamApi.Events;

namespace ClickstreamApi.Benchmarks.Events;

/// <summary>
/// The floor of "encode once and assemble events from the pieces" (issue 15): each event's JSON cut, in
/// advance, around its per-event values (the id, the seq and the timestamp), then assembled into one
/// reused buffer with those values formatted by <see cref="Utf8Formatter"/>. Nothing is left but copying
/// and formatting; the bytes are the serializer's.
/// </summary>
internal sealed class PieceAssembler
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly byte[] _scratch = new byte[64];

    public ReadOnlySpan<byte> Assemble(EventPieces pieces, ClickEvent clickEvent)
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
}

/// <summary>An event's JSON cut around its per-event values: the id, the seq and the timestamp.</summary>
internal sealed record EventPieces(byte[] BeforeId, byte[] BeforeSeq, byte[] BeforeTime, byte[] Time, byte[] Rest)
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
