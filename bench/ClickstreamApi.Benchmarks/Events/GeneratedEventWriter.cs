using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

using ClickstreamApi.Events;

namespace ClickstreamApi.Benchmarks.Events;

/// <summary>
/// The alternative the service's <see cref="ClickEventSerializer"/> was measured against:
/// System.Text.Json source generation (ClickEventJsonContext) with the contract's order and
/// written-when-null fields applied by a modifier. Writes the same bytes (checked in setup).
/// </summary>
internal sealed class GeneratedEventWriter : IDisposable
{
    // The payload is data, not HTML: keep '&', '?' and '=' in page paths readable for kcat users.
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private static readonly JsonTypeInfo<ClickEvent> TypeInfo = CreateTypeInfo();

    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private readonly Utf8JsonWriter _writer;

    public GeneratedEventWriter() => _writer = new Utf8JsonWriter(_buffer, WriterOptions);

    /// <summary>Serializes into the internal buffer; the span is valid until the next call.</summary>
    public ReadOnlySpan<byte> Write(ClickEvent clickEvent)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        JsonSerializer.Serialize(_writer, clickEvent, TypeInfo);
        _writer.Flush();
        return _buffer.WrittenSpan;
    }

    public void Dispose() => _writer.Dispose();

    private static JsonTypeInfo<ClickEvent> CreateTypeInfo()
    {
        var options = new JsonSerializerOptions(ClickEventJsonContext.Default.Options)
        {
            TypeInfoResolver = ClickEventJsonContext.Default.WithAddedModifier(ApplyContract),
        };
        return (JsonTypeInfo<ClickEvent>)options.GetTypeInfo(typeof(ClickEvent));
    }

    /// <summary>Orders the generated properties as <see cref="ClickEventFields.All"/> and keeps the ones written when null.</summary>
    private static void ApplyContract(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Type != typeof(ClickEvent))
        {
            return;
        }

        if (typeInfo.Properties.Count != ClickEventFields.All.Count)
        {
            throw new InvalidOperationException($"ClickEvent has {typeInfo.Properties.Count} properties and ClickEventFields declares {ClickEventFields.All.Count}.");
        }

        foreach (var property in typeInfo.Properties)
        {
            var field = ClickEventFields.Find(property.Name)
                ?? throw new InvalidOperationException($"ClickEvent property '{property.Name}' is not declared in ClickEventFields.");
            property.Order = field.Index;
            if (field.WrittenWhenNull)
            {
                property.ShouldSerialize = static (_, _) => true;
            }
        }
    }
}
