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

    /// <summary>Called after every poll, also when nothing arrived, for periodic work (publishing a snapshot).</summary>
    void AfterPoll()
    {
    }
}
