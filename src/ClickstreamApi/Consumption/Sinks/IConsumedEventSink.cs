using ClickstreamApi.Events;

namespace ClickstreamApi.Consumption.Sinks;

/// <summary>
/// One destination of the events the consumer reads (the ring buffer, the live tails, the
/// analytics, metrics, the log). The consumer calls every registered sink, in registration order,
/// for each valid event, on its own thread; a sink must be quick and must not throw. Adding a
/// destination is one registration: <c>services.AddSingleton&lt;IConsumedEventSink, MySink&gt;()</c>.
/// </summary>
public interface IConsumedEventSink
{
    /// <summary>Takes one event, consumed at <paramref name="consumedAt"/>.</summary>
    void Accept(ConsumedEvent consumed, DateTimeOffset consumedAt);

    /// <summary>
    /// The consumer joined a partition of run <paramref name="runId"/> in the middle: the run's seqs
    /// below <paramref name="firstCheckedSeq"/> may have been read before it joined.
    /// </summary>
    void Joined(string runId, long firstCheckedSeq)
    {
    }

    /// <summary>Called after every poll, also when nothing arrived, for periodic work (publishing a snapshot).</summary>
    void AfterPoll()
    {
    }
}
