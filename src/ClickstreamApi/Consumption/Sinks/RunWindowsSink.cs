using ClickstreamApi.Analytics.EventTime;
using ClickstreamApi.Events;

namespace ClickstreamApi.Consumption.Sinks;

/// <summary>Counts the generator's events (those with a run id) in the consumer's own event-time windows, per run and partition, for <c>/api/stats/reconcile</c>.</summary>
internal sealed class RunWindowsSink(RunWindowsStore store) : IConsumedEventSink
{
    public void Accept(ConsumedEvent consumed, DateTimeOffset consumedAt)
    {
        if (consumed.RunId is { } runId)
        {
            store.For(runId).Record(TalliedEvent.From(consumed), consumed.Partition);
        }
    }
}
