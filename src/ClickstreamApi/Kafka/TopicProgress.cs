namespace ClickstreamApi.Kafka;

/// <summary>
/// How far the service's own consumer has read the topic: the messages it has taken (valid,
/// rejected, or skipped past) and how many partitions it holds. The generator compares it with what
/// its producer has handed over, to hold a simulated run back on the embedded cluster, whose broker
/// keeps only about 5 MiB per partition (see <c>Generator:MaxConsumerLeadPerPartition</c>).
/// </summary>
public sealed class TopicProgress
{
    private long _read;
    private int _partitionsHeld;

    /// <summary>Messages of the topic the service's consumer has read or skipped past since the service started.</summary>
    public long MessagesRead => Interlocked.Read(ref _read);

    /// <summary>Partitions assigned to the service's consumer now.</summary>
    public int PartitionsHeld => Volatile.Read(ref _partitionsHeld);

    internal void CountRead(long messages) => Interlocked.Add(ref _read, messages);

    internal void SetPartitionsHeld(int partitions) => Volatile.Write(ref _partitionsHeld, partitions);
}
