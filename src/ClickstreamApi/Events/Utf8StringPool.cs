using System.Text;

namespace ClickstreamApi.Events;

/// <summary>
/// Turns repeated UTF-8 values (pages, user agents, referrers, user ids, campaign tags) back into
/// one shared string each, so the 100,000 events a ring buffer may hold do not keep 100,000 copies
/// of the same user agent. A fixed-size, direct-mapped table: a value whose slot holds another value
/// replaces it, so memory stays bounded whatever the topic carries, and a hostile stream of unique
/// values costs one table write per value and nothing more. Not thread-safe: one reader thread owns it.
/// </summary>
public sealed class Utf8StringPool
{
    private readonly Entry[] _entries;
    private readonly int _mask;

    /// <param name="capacity">Table slots, rounded up to a power of two.</param>
    /// <param name="maxValueBytes">Longer values are not pooled (they are rarely repeated).</param>
    public Utf8StringPool(int capacity = 32 * 1024, int maxValueBytes = 256)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxValueBytes, 1);
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity);
        _entries = new Entry[size];
        _mask = size - 1;
        MaxValueBytes = maxValueBytes;
    }

    public int MaxValueBytes { get; }

    /// <summary>Values served from the table (for tests and diagnostics).</summary>
    public long Hits { get; private set; }

    /// <summary>Values that had to be decoded (first sight, or their slot held another value).</summary>
    public long Misses { get; private set; }

    /// <summary>The string for <paramref name="utf8"/>: the pooled one when the table holds it, else a new one it keeps.</summary>
    public string GetOrAdd(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxValueBytes)
        {
            Misses++;
            return Encoding.UTF8.GetString(utf8);
        }

        var hash = new HashCode();
        hash.AddBytes(utf8);
        ref var entry = ref _entries[hash.ToHashCode() & _mask];
        if (entry.Utf8 is { } bytes && utf8.SequenceEqual(bytes))
        {
            Hits++;
            return entry.Value!;
        }

        Misses++;
        var value = Encoding.UTF8.GetString(utf8);
        entry = new Entry(utf8.ToArray(), value);
        return value;
    }

    private readonly record struct Entry(byte[]? Utf8, string? Value);
}
