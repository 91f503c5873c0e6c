using ClickstreamApi.Analytics;
using ClickstreamApi.Events;

namespace ClickstreamApi.Consumption.Sinks;

/// <summary>
/// Feeds the live analytics (rates, pages, users, windows, latency, run integrity) and publishes
/// their snapshot twice a second. Each event's scheduled send time is looked up by its run and seq
/// (the generator recorded it in <see cref="ScheduledSendTimes"/>); without one, the analytics count it.
/// </summary>
internal sealed class AnalyticsSink(StreamAnalytics analytics, ScheduledSendTimes scheduled) : IConsumedEventSink
{
    public void Accept(ConsumedEvent consumed, DateTimeOffset consumedAt) =>
        analytics.Record(consumed, consumedAt, scheduled.Find(consumed.RunId, consumed.Seq));

    public void Joined(string runId, long firstCheckedSeq) => analytics.RecordJoin(runId, firstCheckedSeq);

    public void AfterPoll() => analytics.PublishIfDue();
}
