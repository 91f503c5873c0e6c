namespace ClickstreamApi.Kafka;

/// <summary>
/// How far the service's own consumer has read the topic: the messages it has taken (valid,
/// rejected, or skipped past), how many partitions it holds, the offsets its group has committed
/// for them, and the largest value it has read. The generator compares it with what its producer
/// has handed over, to hold a simulated run back on the embedded cluster, whose broker keeps only
/// about 5 MiB per partition (see <c>Generator:MaxConsumerLeadPerPartition</c>); the
/// <see cref="EmbeddedLogRetention"/> deletes only what it shows as committed.
/// </summary>
public sealed class TopicProgress
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, long> _committed = [];
    private long _read;
    private int _partitionsHeld;
    private int _largestValueBytes;

    /// <summary>Messages of the topic the service's consumer has read or skipped past since the service started.</summary>
    public long MessagesRead => Interlocked.Read(ref _read);

    /// <summary>Partitions assigned to the service's consumer now.</summary>
    public int PartitionsHeld => Volatile.Read(ref _partitionsHeld);

    /// <summary>The largest message value the service's consumer has read, in bytes.</summary>
    public int LargestValueBytes => Volatile.Read(ref _largestValueBytes);

    /// <summary>The offset committed last for each partition the service's consumer holds (the next message to read after it).</summary>
    public IReadOnlyList<KeyValuePair<int, long>> Committed()
    {
        lock (_gate)
        {
            return [.. _committed];
        }
    }

    internal void CountRead(long messages) => Interlocked.Add(ref _read, messages);

    internal void SetPartitionsHeld(int partitions) => Volatile.Write(ref _partitionsHeld, partitions);

    /// <summary>Called from the consumer's thread only: no other writer.</summary>
    internal void ObserveValueSize(int bytes)
    {
        if (bytes > _largestValueBytes)
        {
            Volatile.Write(ref _largestValueBytes, bytes);
        }
    }

    internal void ReportCommitted(int partition, long offset)
    {
        lock (_gate)
        {
            if (!_committed.TryGetValue(partition, out var known) || offset > known)
            {
                _committed[partition] = offset;
            }
        }
    }

    /// <summary>Partitions the consumer no longer holds: another member (or a later assignment) commits for them.</summary>
    internal void ForgetCommitted(IEnumerable<int> partitions)
    {
        lock (_gate)
        {
            foreach (var partition in partitions)
            {
                _committed.Remove(partition);
            }
        }
    }
}
