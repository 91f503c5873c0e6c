using System.Text.Unicode;
using ClickstreamApi.Events;
using Confluent.Kafka;

namespace ClickstreamApi.Consumption;

/// <summary>
/// A message's Kafka headers as text for the API: keys and repeated values (run ids, event types,
/// content types) come back as shared strings from a pool of their own. Used from the consumer's thread only.
/// </summary>
internal sealed class HeaderReader
{
    private readonly Utf8StringPool _strings = new();

    public IReadOnlyList<EventHeader>? Read(Headers? headers)
    {
        if (headers is not { Count: > 0 })
        {
            return null;
        }

        var read = new EventHeader[headers.Count];
        for (var i = 0; i < read.Length; i++)
        {
            var header = headers[i];
            var value = header.GetValueBytes();
            read[i] = new EventHeader(header.Key, value switch
            {
                null => null,
                _ when Utf8.IsValid(value) => _strings.GetOrAdd(value),
                _ => "base64:" + Convert.ToBase64String(value),
            });
        }

        return read;
    }
}
