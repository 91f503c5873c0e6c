using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Field = ClickstreamApi.Events.ClickEventFields;

namespace ClickstreamApi.Events;

/// <summary>
/// Writes events as compact UTF-8 JSON with one reused buffer and writer. Not thread-safe: each
/// producing loop owns one.
/// </summary>
public sealed class ClickEventSerializer : IDisposable
{
    // The payload is data, not HTML: keep '&', '?' and '=' in page paths readable for kcat users.
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private readonly Utf8JsonWriter _writer;

    public ClickEventSerializer() => _writer = new Utf8JsonWriter(_buffer, WriterOptions);

    /// <summary>Serializes into the internal buffer; the span is valid until the next call.</summary>
    public ReadOnlySpan<byte> Write(ClickEvent clickEvent)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        WriteObject(_writer, clickEvent);
        _writer.Flush();
        return _buffer.WrittenSpan;
    }

    public byte[] Serialize(ClickEvent clickEvent) => Write(clickEvent).ToArray();

    public void Dispose() => _writer.Dispose();

    private static void WriteObject(Utf8JsonWriter writer, ClickEvent e)
    {
        writer.WriteStartObject();
        writer.WriteString(Field.EventId, e.EventId);
        writer.WriteNumber(Field.SchemaVersion, e.SchemaVersion);
        if (e.Seq is { } seq)
        {
            writer.WriteNumber(Field.Seq, seq);
        }

        WriteOptional(writer, Field.RunId, e.RunId);
        writer.WriteString(Field.UserId, e.UserId);
        WriteOptional(writer, Field.SessionId, e.SessionId);
        writer.WriteString(Field.EventType, e.EventType);
        writer.WriteString(Field.Page, e.Page);
        // Referrer is always present: null says "direct traffic" rather than "unknown".
        writer.WriteString(Field.Referrer, e.Referrer);
        WriteOptional(writer, Field.Device, e.Device);
        writer.WriteString(Field.OccurredAt, e.OccurredAt.UtcDateTime);
        WriteOptional(writer, Field.UserAgent, e.UserAgent);
        WriteOptional(writer, Field.Country, e.Country);
        WriteOptional(writer, Field.VisitorType, e.VisitorType);
        if (e.Status is { } status)
        {
            writer.WriteNumber(Field.Status, status);
        }

        WriteOptional(writer, Field.Category, e.Category);
        WriteOptional(writer, Field.ProductId, e.ProductId);
        WriteOptional(writer, Field.Query, e.Query);
        WriteOptional(writer, Field.Element, e.Element);
        if (e.Quantity is { } quantity)
        {
            writer.WriteNumber(Field.Quantity, quantity);
        }

        if (e.Amount is { } amount)
        {
            writer.WriteNumber(Field.Amount, amount);
        }

        WriteOptional(writer, Field.Currency, e.Currency);
        WriteOptional(writer, Field.OrderId, e.OrderId);
        if (e.ProductIds is { } productIds)
        {
            writer.WriteStartArray(Field.ProductIds);
            for (var i = 0; i < productIds.Count; i++)
            {
                writer.WriteStringValue(productIds[i]);
            }

            writer.WriteEndArray();
        }

        WriteOptional(writer, Field.UtmSource, e.UtmSource);
        WriteOptional(writer, Field.UtmMedium, e.UtmMedium);
        WriteOptional(writer, Field.UtmCampaign, e.UtmCampaign);
        writer.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
