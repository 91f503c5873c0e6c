using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using ClickstreamApi.Events;

namespace ClickstreamApi.Schemas;

/// <summary>
/// Writes events as Avro binary of schemas/click-event.avsc, field by field in the schema's order:
/// zig-zag varints, length-prefixed UTF-8, unions as a branch index, the decimal as big-endian
/// two's complement of the unscaled value, arrays as one block. One reused buffer; not thread-safe.
/// </summary>
/// <remarks>
/// Hand-written because Confluent's <c>AvroSerializer&lt;GenericRecord&gt;</c> costs about 30 times
/// the JSON writer (9.9 µs and 7.6 KB per event, FormatBenchmarks WriteAvroConfluent). A unit test
/// holds this writer's bytes to Confluent's for 5,000 simulated events, and Python's Apache Avro
/// decoder reads them in the integration tests.
/// </remarks>
public sealed class ClickEventAvroWriter
{
    private static readonly long UnixEpochTicks = DateTimeOffset.UnixEpoch.UtcTicks;

    private readonly ArrayBufferWriter<byte> _buffer = new(1024);

    /// <summary>The event in Confluent's wire format with <paramref name="schemaId"/>; the span is valid until the next call.</summary>
    public ReadOnlySpan<byte> Write(ClickEvent e, int schemaId)
    {
        _buffer.ResetWrittenCount();
        WireFormat.WriteHeader(_buffer.GetSpan(WireFormat.HeaderLength), schemaId);
        _buffer.Advance(WireFormat.HeaderLength);
        WriteString(e.EventId.ToString("D"));
        WriteLong(e.SchemaVersion);
        WriteOptionalLong(e.Seq);
        WriteOptionalString(e.RunId);
        WriteString(e.UserId);
        WriteOptionalString(e.SessionId);
        WriteString(e.EventType);
        WriteString(e.Page);
        WriteOptionalString(e.Referrer);
        WriteOptionalString(e.Device);
        WriteLong((e.OccurredAt.UtcTicks - UnixEpochTicks) / 10);
        WriteOptionalString(e.UserAgent);
        WriteOptionalString(e.Country);
        WriteOptionalString(e.VisitorType);
        WriteOptionalLong(e.Status);
        WriteOptionalString(e.Category);
        WriteOptionalString(e.ProductId);
        WriteOptionalString(e.Query);
        WriteOptionalString(e.Element);
        WriteOptionalLong(e.Quantity);
        WriteOptionalDecimal(e.Amount);
        WriteOptionalString(e.Currency);
        WriteOptionalString(e.OrderId);
        WriteOptionalList(e.ProductIds);
        WriteOptionalString(e.UtmSource);
        WriteOptionalString(e.UtmMedium);
        WriteOptionalString(e.UtmCampaign);
        return _buffer.WrittenSpan;
    }

    private void WriteLong(long value)
    {
        // Zig-zag, then 7 bits per byte, low bits first.
        var zigzag = (ulong)((value << 1) ^ (value >> 63));
        var span = _buffer.GetSpan(10);
        var i = 0;
        while (zigzag >= 0x80)
        {
            span[i++] = (byte)(zigzag | 0x80);
            zigzag >>= 7;
        }

        span[i++] = (byte)zigzag;
        _buffer.Advance(i);
    }

    private void WriteString(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteLong(length);
        Encoding.UTF8.GetBytes(value, _buffer.GetSpan(length));
        _buffer.Advance(length);
    }

    private void WriteOptionalString(string? value)
    {
        if (value is null)
        {
            WriteLong(0);
            return;
        }

        WriteLong(1);
        WriteString(value);
    }

    private void WriteOptionalLong(long? value)
    {
        if (value is not { } number)
        {
            WriteLong(0);
            return;
        }

        WriteLong(1);
        WriteLong(number);
    }

    private void WriteOptionalDecimal(decimal? value)
    {
        if (value is not { } amount)
        {
            WriteLong(0);
            return;
        }

        WriteLong(1);
        // decimal(18, 2): the unscaled value (amount × 100, rounded as the record writer rounds) fits a long.
        var unscaled = (long)(decimal.Round(amount, 2, MidpointRounding.ToEven) * 100m);
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, unscaled);
        // The shortest two's complement: drop leading bytes that only repeat the sign.
        var start = 0;
        while (start < 7 && ((bytes[start] == 0x00 && (bytes[start + 1] & 0x80) == 0) || (bytes[start] == 0xFF && (bytes[start + 1] & 0x80) != 0)))
        {
            start++;
        }

        WriteLong(8 - start);
        bytes[start..].CopyTo(_buffer.GetSpan(8 - start));
        _buffer.Advance(8 - start);
    }

    private void WriteOptionalList(IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            WriteLong(0);
            return;
        }

        WriteLong(1);
        if (values.Count > 0)
        {
            WriteLong(values.Count);
            foreach (var value in values)
            {
                WriteString(value);
            }
        }

        WriteLong(0);
    }
}
