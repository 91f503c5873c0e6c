using ClickstreamApi.Events;

namespace ClickstreamApi.Consumption.Sinks;

/// <summary>Wakes the live tails (they read the ring buffer at their own pace), so it comes after <see cref="RingBufferSink"/>.</summary>
internal sealed class LiveTailSink(StreamHub hub) : IConsumedEventSink
{
    public void Accept(ConsumedEvent consumed, DateTimeOffset consumedAt) => hub.Pulse();
}
