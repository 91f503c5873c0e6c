using ClickstreamApi.Events;

namespace ClickstreamApi.Consumption.Sinks;

/// <summary>Keeps the event in the ring buffer behind <c>recent</c> and the live tails; numbers it with its buffer sequence.</summary>
internal sealed class RingBufferSink(RingBuffer<ConsumedEvent> buffer) : IConsumedEventSink
{
    public void Accept(ConsumedEvent consumed, DateTimeOffset consumedAt)
    {
        consumed.Sequence = buffer.LastSequence + 1;
        buffer.Append(consumed);
    }
}
