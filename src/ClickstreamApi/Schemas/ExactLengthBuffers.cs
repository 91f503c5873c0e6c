namespace ClickstreamApi.Schemas;

/// <summary>
/// Reusable byte arrays, one per length. Confluent.Kafka's <c>Produce</c> takes a whole
/// <c>byte[]</c> (no span overload) and librdkafka copies the bytes before <c>Produce</c> returns
/// (RD_KAFKA_MSG_F_COPY), so the generator can hand over the same array again for the next event of
/// the same length instead of allocating one per event. Events are a few hundred bytes long, so a
/// few hundred arrays cover every length. Single-threaded: the generating loop owns one.
/// </summary>
public sealed class ExactLengthBuffers
{
    private readonly Dictionary<int, byte[]> _buffers = [];

    /// <summary>An array holding exactly <paramref name="content"/>; valid until the next call with the same length.</summary>
    public byte[] Copy(ReadOnlySpan<byte> content)
    {
        var buffer = Get(content.Length);
        content.CopyTo(buffer);
        return buffer;
    }

    /// <summary>The array of this length, to be filled by the caller; valid until the next call with the same length.</summary>
    public byte[] Get(int length)
    {
        if (!_buffers.TryGetValue(length, out var buffer))
        {
            buffer = new byte[length];
            _buffers[length] = buffer;
        }

        return buffer;
    }
}
