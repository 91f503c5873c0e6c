using ClickstreamApi.Events;
using ClickstreamApi.Schemas;
using Confluent.Kafka;

namespace ClickstreamApi.Consumption;

/// <summary>
/// A message value as the consumer sees it: an event, or why it is not one; or, for a value in the
/// Schema Registry's wire format whose schema is not known yet, its bytes, to be read once the
/// registry has told what its schema is.
/// </summary>
internal readonly record struct ParsedMessage(ClickEvent? Event, Rejection Rejection, int SizeBytes, string? Preview)
{
    /// <summary><c>json</c>, <c>avro</c>, <c>json-schema</c>, or <c>text</c> for the exercise's lines.</summary>
    public string Format { get; init; } = "json";

    /// <summary>The schema id a registry-framed value names.</summary>
    public int? SchemaId { get; init; }

    /// <summary>A registry-framed value (copied out of librdkafka's buffer), not read yet.</summary>
    public byte[]? Framed { get; init; }

    /// <summary>A registry-framed value, read.</summary>
    public static ParsedMessage From(FramedEvent read, ReadOnlySpan<byte> value, int previewLength) => read.Event is { } decoded
        ? new ParsedMessage(decoded, default, value.Length, null) { Format = read.Format!.Value.Name(), SchemaId = read.SchemaId }
        : new ParsedMessage(null, read.Rejection, value.Length, MessagePreview.Create(value, previewLength)) { Format = read.Format?.Name() ?? "unknown", SchemaId = read.SchemaId };
}

/// <summary>
/// Parses values straight from librdkafka's buffer (no byte[] copy per message). Never throws, so
/// a bad message can never stall the consumer. Owned by one consumer, so called from one thread: the
/// string pool that keeps repeated values shared needs no locking.
/// </summary>
internal sealed class ParsedMessageDeserializer(int previewLength, Utf8StringPool strings, FramedEventReader framedEvents) : IDeserializer<ParsedMessage>
{
    public ParsedMessage Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context)
    {
        if (WireFormat.IsFramed(data) && data.Length <= ClickEventReader.MaxMessageBytes)
        {
            // Schemas already known are read here, from librdkafka's buffer; the rest wait for the registry.
            return framedEvents.TryReadKnown(data, strings, out var read)
                ? ParsedMessage.From(read, data, previewLength)
                : new ParsedMessage(null, default, data.Length, null) { Framed = data.ToArray() };
        }

        var format = ExerciseLine.LooksLikeOne(data) ? "text" : "json";
        if (ClickEventReader.TryRead(data, strings, out var clickEvent, out var rejection))
        {
            return new ParsedMessage(clickEvent, default, data.Length, null) { Format = format };
        }

        return new ParsedMessage(null, rejection, data.Length, MessagePreview.Create(data, previewLength)) { Format = format };
    }
}
