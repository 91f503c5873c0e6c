using ClickstreamApi.Events;

namespace ClickstreamApi.Schemas;

/// <summary>
/// Writes events in one <see cref="OutputFormat"/>. One per generating loop (not thread-safe): the
/// bytes returned stay valid until the next call, because librdkafka copies them as it takes them.
/// </summary>
public interface IEventEncoder : IDisposable
{
    OutputFormat Format { get; }

    /// <summary>The registered schema events carry, once <see cref="PrepareAsync"/> has succeeded; null for plain JSON.</summary>
    RegisteredEventSchema? Schema { get; }

    /// <summary>Registers (or looks up) the event schema; throws when the registry does not answer, and the caller tries again.</summary>
    Task PrepareAsync(CancellationToken cancellationToken);

    /// <summary>The event's value bytes, valid until the next call.</summary>
    ValueTask<byte[]> EncodeAsync(ClickEvent clickEvent);
}

/// <summary>The schema events are written with: its id in the registry and the subject it is under.</summary>
public sealed record RegisteredEventSchema(int Id, string Subject);
