using ClickstreamApi.Kafka;

namespace ClickstreamApi.Consumption;

/// <summary>Position of the consumer in one assigned partition.</summary>
/// <param name="Partition">The partition.</param>
/// <param name="Position">Offset of the next message the consumer will read, when known.</param>
/// <param name="HighWatermark">Offset the next produced message will get, when known.</param>
/// <param name="Lag">Messages in the partition not yet read, when both offsets are known.</param>
public sealed record PartitionPosition(int Partition, long? Position, long? HighWatermark, long? Lag);

/// <summary>
/// What the consumer thread is doing, published for readers on other threads (health checks,
/// summaries, the API). Only the consumer thread writes. What it reads is also counted in
/// <see cref="TopicProgress"/>, which the generator sees.
/// </summary>
public sealed class ConsumerState(TopicProgress progress)
{
    private long _consumed;
    private long _rejected;
    private long _skipped;
    private long _offsetResets;
    private long _assignments;
    private long _revocations;
    private long _lostPartitions;
    private DateTimeOffset? _lastRebalanceAt;
    private readonly Lock _gate = new();
    private int _running;
    private IReadOnlyList<PartitionPosition> _partitions = [];

    public bool IsRunning => Volatile.Read(ref _running) == 1;

    /// <summary>Valid events written to the ring buffer.</summary>
    public long Consumed => Interlocked.Read(ref _consumed);

    /// <summary>Messages that were not valid events.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Messages the consumer never saw because the partition's offset jumped past them.</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    /// <summary>Times a partition's offset jumped forward past messages not read.</summary>
    public long OffsetResets => Interlocked.Read(ref _offsetResets);

    /// <summary>Rebalances that assigned partitions to this consumer.</summary>
    public long Assignments => Interlocked.Read(ref _assignments);

    /// <summary>Rebalances that took partitions away (cleanly).</summary>
    public long Revocations => Interlocked.Read(ref _revocations);

    /// <summary>Times partitions were lost (taken away without a clean revocation, e.g. after a session timeout).</summary>
    public long LostPartitions => Interlocked.Read(ref _lostPartitions);

    /// <summary>When the assignment last changed.</summary>
    public DateTimeOffset? LastRebalanceAt
    {
        get
        {
            lock (_gate)
            {
                return _lastRebalanceAt;
            }
        }
    }

    /// <summary>Assigned partitions with their positions, refreshed about once a second.</summary>
    public IReadOnlyList<PartitionPosition> Partitions => Volatile.Read(ref _partitions);

    /// <summary>Total lag over the assigned partitions whose lag is known.</summary>
    public long Lag => Partitions.Sum(p => p.Lag ?? 0);

    internal void SetRunning(bool running) => Volatile.Write(ref _running, running ? 1 : 0);

    internal void CountConsumed()
    {
        Interlocked.Increment(ref _consumed);
        progress.CountRead(1);
    }

    internal void CountRejected()
    {
        Interlocked.Increment(ref _rejected);
        progress.CountRead(1);
    }

    /// <summary>Counts messages skipped (a negative count takes back messages that turned up after all).</summary>
    internal void CountSkipped(long count)
    {
        Interlocked.Add(ref _skipped, count);
        progress.CountRead(count);
        if (count > 0)
        {
            Interlocked.Increment(ref _offsetResets);
        }
    }

    /// <summary>The group committed <paramref name="offset"/> for <paramref name="partition"/> (the embedded log's retention deletes only below it).</summary>
    internal void ReportCommitted(int partition, long offset) => progress.ReportCommitted(partition, offset);

    internal void ForgetCommitted(IEnumerable<int> partitions) => progress.ForgetCommitted(partitions);

    internal void ObserveValueSize(int bytes) => progress.ObserveValueSize(bytes);

    internal void CountRebalance(bool assigned, bool lost, DateTimeOffset at)
    {
        Interlocked.Increment(ref assigned ? ref _assignments : ref lost ? ref _lostPartitions : ref _revocations);
        lock (_gate)
        {
            _lastRebalanceAt = at;
        }
    }

    internal void SetPartitions(IReadOnlyList<PartitionPosition> partitions)
    {
        Volatile.Write(ref _partitions, partitions);
        progress.SetPartitionsHeld(partitions.Count);
    }
}
