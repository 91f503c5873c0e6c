namespace ClickstreamApi.Consumption;

/// <summary>
/// One item as a <see cref="RingBuffer{T}"/> holds it: the item, and its JSON once a reader has
/// serialized it. The bytes belong with the buffer's entry rather than the item: they exist for the
/// readers of the buffer (the HTTP API's <c>recent</c> and live tails), are made once by the first of
/// them and shared by the rest, and go when the entry is evicted.
/// </summary>
public sealed class RingEntry<T>(T item)
    where T : class
{
    private byte[]? _json;

    public T Item { get; } = item;

    /// <summary>The item as the HTTP API writes it, or null until a reader has serialized it (see <c>Api.EventJson</c>).</summary>
    internal byte[]? Json
    {
        get => Volatile.Read(ref _json);
        set => Volatile.Write(ref _json, value);
    }
}
