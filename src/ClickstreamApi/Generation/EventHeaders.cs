using System.Buffers.Text;
using System.Text;
using ClickstreamApi.Events;
using ClickstreamApi.Schemas;
using Confluent.Kafka;

namespace ClickstreamApi.Generation;

/// <summary>
/// The Kafka headers of one run's events (<see cref="EventHeaderNames"/>). The values that repeat (run
/// id, content type, event types, schema versions) are encoded once; only <c>seq</c> is encoded per event.
/// </summary>
internal sealed class EventHeaders(string runId, OutputFormat format)
{
    private static readonly Dictionary<string, byte[]> KnownEventTypes = EventTypes.All.ToDictionary(type => type, Encoding.UTF8.GetBytes, StringComparer.Ordinal);

    private readonly byte[] _runId = Encoding.UTF8.GetBytes(runId);
    private readonly byte[] _contentType = Encoding.UTF8.GetBytes(format.ContentType());
    private readonly byte[] _currentVersion = Encoding.UTF8.GetBytes(ClickEvent.CurrentSchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public Headers For(ClickEvent clickEvent) =>
    [
        new Header(EventHeaderNames.RunId, _runId),
        new Header(EventHeaderNames.Seq, Number(clickEvent.Seq ?? 0)),
        new Header(EventHeaderNames.EventType, KnownEventTypes.TryGetValue(clickEvent.EventType, out var type) ? type : Encoding.UTF8.GetBytes(clickEvent.EventType)),
        new Header(EventHeaderNames.SchemaVersion, clickEvent.SchemaVersion == ClickEvent.CurrentSchemaVersion ? _currentVersion : Number(clickEvent.SchemaVersion)),
        new Header(EventHeaderNames.ContentType, _contentType),
    ];

    private static byte[] Number(long value)
    {
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(value, digits, out var written);
        return digits[..written].ToArray();
    }
}
