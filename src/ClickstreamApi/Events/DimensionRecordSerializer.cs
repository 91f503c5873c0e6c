using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ClickstreamApi.Events;

/// <summary>
/// Writes <see cref="UserRecord"/> and <see cref="ProductRecord"/> values as compact UTF-8 JSON,
/// the way <see cref="ClickEventSerializer"/> writes events: camelCase names in declaration order,
/// times as ISO 8601 UTC, prices as JSON numbers. One reused buffer; not thread-safe.
/// </summary>
public sealed class DimensionRecordSerializer : IDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private readonly Utf8JsonWriter _writer;

    public DimensionRecordSerializer() => _writer = new Utf8JsonWriter(_buffer, WriterOptions);

    /// <summary>Serializes into the internal buffer; the span is valid until the next call.</summary>
    public ReadOnlySpan<byte> Write(UserRecord user)
    {
        Begin();
        _writer.WriteStartObject();
        _writer.WriteString("userId", user.UserId);
        _writer.WriteString("device", user.Device);
        _writer.WriteString("userAgent", user.UserAgent);
        _writer.WriteString("country", user.Country);
        _writer.WriteString("currency", user.Currency);
        _writer.WriteString("visitorType", user.VisitorType);
        _writer.WriteBoolean("bot", user.Bot);
        _writer.WriteString("signedUpAt", user.SignedUpAt.UtcDateTime);
        _writer.WriteString("updatedAt", user.UpdatedAt.UtcDateTime);
        _writer.WriteEndObject();
        return End();
    }

    /// <summary>Serializes into the internal buffer; the span is valid until the next call.</summary>
    public ReadOnlySpan<byte> Write(ProductRecord product)
    {
        Begin();
        _writer.WriteStartObject();
        _writer.WriteString("productId", product.ProductId);
        _writer.WriteString("name", product.Name);
        _writer.WriteString("category", product.Category);
        _writer.WriteNumber("price", product.Price);
        _writer.WriteString("currency", product.Currency);
        _writer.WriteString("updatedAt", product.UpdatedAt.UtcDateTime);
        _writer.WriteEndObject();
        return End();
    }

    public void Dispose() => _writer.Dispose();

    private void Begin()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
    }

    private ReadOnlySpan<byte> End()
    {
        _writer.Flush();
        return _buffer.WrittenSpan;
    }
}
