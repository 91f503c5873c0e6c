using System.Buffers.Binary;
using System.Text;

namespace ClickstreamApi.Events;

/// <summary>
/// Turns repeated UTF-8 values (the fields declared <see cref="EventField.Pooled"/>: pages, user
/// agents, referrers, products, campaign tags) back into one shared string each, so the 100,000
/// events a ring buffer may hold do not keep 100,000 copies of the same user agent. A fixed-size, direct-mapped table: a value whose slot holds another value
/// replaces it, so memory stays bounded whatever the topic carries, and a hostile stream of unique
/// values costs one table write per value and nothing more. Values that are not plain ASCII are
/// decoded every time. Not thread-safe: one reader thread owns it.
/// </summary>
public sealed class Utf8StringPool
{
    private readonly Entry[] _entries;
    private readonly int _mask;

    /// <param name="capacity">Table slots, rounded up to a power of two.</param>
    /// <param name="maxValueBytes">Longer values are not pooled (they are rarely repeated).</param>
    public Utf8StringPool(int capacity = 8 * 1024, int maxValueBytes = 256)
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
        // ASCII only: then the pooled string can be compared with the bytes directly (vectorized),
        // with no second copy of the value kept as bytes.
        if (utf8.Length > MaxValueBytes || !Ascii.IsValid(utf8))
        {
            Misses++;
            return Encoding.UTF8.GetString(utf8);
        }

        var hash = Hash(utf8);
        ref var entry = ref _entries[hash & _mask];
        if (entry.Hash == hash && entry.Value is { } pooled && Ascii.Equals(utf8, pooled))
        {
            Hits++;
            return pooled;
        }

        Misses++;
        var value = Encoding.ASCII.GetString(utf8);
        entry = new Entry(hash, value);
        return value;
    }

    /// <summary>
    /// A cheap hash of the length and up to 24 bytes (start, middle, end). Collisions only cost a
    /// miss, since a hit is confirmed by comparing the whole value.
    /// </summary>
    private static int Hash(ReadOnlySpan<byte> utf8)
    {
        const ulong K1 = 0x9E3779B97F4A7C15, K2 = 0xC2B2AE3D27D4EB4F, K3 = 0x165667B19E3779F9;
        var length = utf8.Length;
        ulong h = (ulong)length * K3;
        if (length >= sizeof(ulong))
        {
            h ^= BinaryPrimitives.ReadUInt64LittleEndian(utf8) * K1;
            h ^= BinaryPrimitives.ReadUInt64LittleEndian(utf8[(length - sizeof(ulong))..]) * K2;
            h ^= BinaryPrimitives.ReadUInt64LittleEndian(utf8[((length - sizeof(ulong)) / 2)..]) * K3;
        }
        else
        {
            ulong packed = 0;
            for (var i = 0; i < length; i++)
            {
                packed = (packed << 8) | utf8[i];
            }

            h ^= packed * K1;
        }

        h ^= h >> 29;
        h *= K2;
        h ^= h >> 32;
        return (int)h;
    }

    private readonly record struct Entry(int Hash, string? Value);
}
