using ClickstreamApi.Events;
using Confluent.Kafka;

namespace ClickstreamApi.Consumption;

/// <summary>A message value as the consumer sees it: an event, or why it is not one.</summary>
internal readonly record struct ParsedMessage(ClickEvent? Event, Rejection Rejection, int SizeBytes, string? Preview);

/// <summary>
/// Parses values straight from librdkafka's buffer (no byte[] copy per message). Never throws, so
/// a bad message can never stall the consumer. Owned by one consumer, so called from one thread: the
/// string pool that keeps repeated values shared needs no locking.
/// </summary>
internal sealed class ParsedMessageDeserializer(int previewLength) : IDeserializer<ParsedMessage>
{
    private readonly Utf8StringPool _strings = new();

    public ParsedMessage Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context)
    {
        if (ClickEventReader.TryRead(data, _strings, out var clickEvent, out var rejection))
        {
            return new ParsedMessage(clickEvent, default, data.Length, null);
        }

        return new ParsedMessage(null, rejection, data.Length, MessagePreview.Create(data, previewLength));
    }
}
