using ClickstreamApi.Diagnostics;
using ClickstreamApi.Events;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Consumption.Sinks;

/// <summary>
/// One log line per event, like the original exercise's consumer, up to
/// <c>Observability:EventLogLinesPerSecond</c>; the rest are counted in the periodic summary.
/// </summary>
internal sealed partial class EventLogSink(IOptions<ObservabilityOptions> options, TimeProvider time, ILogger<EventLogSink> logger) : IConsumedEventSink
{
    private readonly EventLogSampler _lines = new(options.Value.EventLogLinesPerSecond, time);

    public void Accept(ConsumedEvent consumed, DateTimeOffset consumedAt)
    {
        if (logger.IsEnabled(LogLevel.Information) && _lines.TryAcquire())
        {
            LogEvent(consumed.UserId, consumed.EventType, consumed.Page, consumed.OccurredAt.UtcDateTime, consumed.Partition, consumed.Offset);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} {EventType} {Page} at {OccurredAt:O} [partition {Partition}, offset {Offset}]")]
    private partial void LogEvent(string userId, string eventType, string page, DateTime occurredAt, int partition, long offset);
}
