using ClickstreamApi.Analytics;
using ClickstreamApi.Events;

namespace ClickstreamApi.Consumption.Sinks;

/// <summary>Feeds the live analytics (rates, pages, users, windows, latency, run integrity) and publishes their snapshot twice a second.</summary>
internal sealed class AnalyticsSink(StreamAnalytics analytics) : IConsumedEventSink
{
    public void Accept(ConsumedEvent consumed, DateTimeOffset consumedAt) => analytics.Record(consumed, consumedAt);

    public void Joined(string runId, long firstCheckedSeq) => analytics.RecordJoin(runId, firstCheckedSeq);

    public void AfterPoll() => analytics.PublishIfDue();
}
