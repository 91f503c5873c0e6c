using System.Buffers.Text;

namespace ClickstreamApi.Generation.Model;

/// <summary>
/// Which users an instance of a fleet may generate: user <c>u</c> belongs to shard
/// <c>FNV-1a(u's Kafka key) mod Count</c>, and an instance generates only the users of the shards it
/// owns. Anyone can check it from the topic alone: a key's events come from one member at a time.
/// Immutable; null where a setpoint holds one means every user (no fleet).
/// </summary>
public sealed class UserShards
{
    private readonly ulong[] _owned;

    public UserShards(int count, IEnumerable<int> owned)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Count = count;
        _owned = new ulong[(count + 63) / 64];
        foreach (var shard in owned)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(shard);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(shard, count);
            _owned[shard >> 6] |= 1UL << (shard & 63);
        }

        OwnedCount = _owned.Sum(word => System.Numerics.BitOperations.PopCount(word));
    }

    /// <summary>How many shards the population is cut into (the fleet control topic's partitions).</summary>
    public int Count { get; }

    /// <summary>How many of them this instance owns.</summary>
    public int OwnedCount { get; }

    /// <summary>The share of the population this instance generates.</summary>
    public double OwnedShare => (double)OwnedCount / Count;

    /// <summary>The owned shards, ascending.</summary>
    public IEnumerable<int> Owned => Enumerable.Range(0, Count).Where(Owns);

    public bool Owns(int shard) => (_owned[shard >> 6] & (1UL << (shard & 63))) != 0;

    /// <summary>Whether the user with this Kafka key is this instance's to generate.</summary>
    public bool OwnsKey(ReadOnlySpan<byte> key) => Owns(Of(key, Count));

    /// <summary>Whether population user <paramref name="user"/> (0-based; its key is the decimal id <c>user + 1</c>) is this instance's.</summary>
    public bool OwnsUser(int user)
    {
        Span<byte> key = stackalloc byte[11];
        Utf8Formatter.TryFormat(user + 1, key, out var written);
        return OwnsKey(key[..written]);
    }

    /// <summary>The shard of a Kafka key: 32-bit FNV-1a of its bytes, modulo <paramref name="count"/>.</summary>
    public static int Of(ReadOnlySpan<byte> key, int count)
    {
        var hash = 2166136261u;
        foreach (var b in key)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash % (uint)count);
    }

    public override string ToString() => $"{OwnedCount} of {Count} shards";
}
