using ClickstreamApi.Consumption.Sinks;
using ClickstreamApi.Events;

namespace ClickstreamApi.Observability;

/// <summary>Records each consumed event's end-to-end latency in the <c>clickstream.event.latency</c> histogram.</summary>
internal sealed class LatencyMetricSink(PipelineMetrics metrics) : IConsumedEventSink
{
    public void Accept(ConsumedEvent consumed, DateTimeOffset consumedAt) => metrics.RecordLatency(consumed.OccurredAt, consumedAt);
}
