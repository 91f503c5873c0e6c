namespace ClickstreamApi.Consumption;

/// <summary>Where reading a newly assigned partition begins, and what that says about what came before.</summary>
/// <param name="Offset">The offset to read from, or null to let the consumer take its committed offset (or auto.offset.reset).</param>
/// <param name="Committed">Where the group (or, for a new group, the broker's oldest message) would start.</param>
/// <param name="ResumedAfterRead">Reading continues after the last message this consumer read itself, which is newer than the commit.</param>
/// <param name="JoinedMidway">Messages before the start were never read by this consumer (a commit of an earlier life, or evicted).</param>
/// <param name="MarkerOffset">When joined mid-way and still held: the offset just before the join point, read once for what it says.</param>
internal readonly record struct PartitionStart(long? Offset, long Committed, bool ResumedAfterRead, bool JoinedMidway, long? MarkerOffset);

/// <summary>What reading a message at an offset says about the messages before it.</summary>
/// <param name="Skipped">Messages jumped over since the last one read (evicted before they could be read); negative when a message counted as skipped turned up after all.</param>
/// <param name="LastOffset">The offset read before this one.</param>
internal readonly record struct OffsetStep(long Skipped, long LastOffset);

/// <summary>A partition whose next message was evicted before it was fetched: skip to the newest.</summary>
/// <param name="From">The first offset skipped.</param>
/// <param name="Low">The oldest offset the broker still holds.</param>
/// <param name="To">The offset to read from next (the high watermark).</param>
internal readonly record struct SkipAhead(long From, long Low, long To);

/// <summary>
/// The consumer's bookkeeping of offsets per partition, kept apart from Kafka so it can be tested
/// on its own: where to start a newly assigned partition, the forward jumps that mean messages were
/// evicted before they were read, the stall that means the broker evicts faster than the consumer
/// reads, and where to resume a partition this consumer read before losing it. Offsets within a
/// partition are contiguous for the service's producer (idempotent, no transactions), so any gap is
/// a loss to eviction. Consumer thread only.
/// </summary>
internal sealed class PartitionOffsets
{
    private readonly Dictionary<int, long> _last = [];
    private readonly Dictionary<int, (long? LastConsumed, int Stalls, long? FirstLow)> _stalls = [];
    private readonly Dictionary<int, (long From, long To)> _skippedRanges = [];
    private readonly Dictionary<int, long> _resumeAt = [];

    /// <summary>The last offset read in <paramref name="partition"/> (start − 1 before the first), if known.</summary>
    public long? LastRead(int partition) => _last.TryGetValue(partition, out var last) ? last : null;

    /// <summary>
    /// Decides where a newly assigned partition starts, given the group's committed offset (null when
    /// none) and the broker's watermarks. A partition this consumer read before losing it (a broker
    /// outage longer than the session time-out makes the group forget the member before its latest
    /// offsets are committed) continues after the last message it read, not from the older commit;
    /// a newer commit (another member of a shared group read further) wins.
    /// </summary>
    public PartitionStart Assign(int partition, long? committed, long low, long high)
    {
        var start = committed ?? low;
        if (_resumeAt.Remove(partition, out var resume) && resume >= start)
        {
            // Everything before was read by this consumer: no new join point.
            _last[partition] = resume - 1;
            return new PartitionStart(resume > start ? resume : null, start, resume > start, false, null);
        }

        if (start <= 0 || (start == low && low == high))
        {
            // Read from its start, or nothing held at all (retention emptied it, so no run is under
            // way there): whatever arrives comes after the join.
            _last[partition] = start - 1;
            return new PartitionStart(null, start, false, false, null);
        }

        if (start - 1 >= low)
        {
            _last[partition] = start - 2;
            return new PartitionStart(start - 1, start, false, true, start - 1);
        }

        _last[partition] = start - 1;
        return new PartitionStart(null, start, false, true, null);
    }

    /// <summary>Where to start when the committed offsets could not be read: after what this consumer read, if anything.</summary>
    public long? AssignUnknown(int partition)
    {
        if (!_resumeAt.Remove(partition, out var resume))
        {
            return null;
        }

        _last[partition] = resume - 1;
        return resume;
    }

    /// <summary>The partition was taken away: remember where to resume should it come back.</summary>
    public void Revoke(int partition)
    {
        if (_last.Remove(partition, out var last) && last >= 0)
        {
            _resumeAt[partition] = last + 1;
        }

        _stalls.Remove(partition);
        _skippedRanges.Remove(partition);
    }

    /// <summary>Records a message read at <paramref name="offset"/>.</summary>
    public OffsetStep Read(int partition, long offset)
    {
        if (_skippedRanges.TryGetValue(partition, out var range) && offset >= range.From && offset < range.To)
        {
            // Fetched before the skip and delivered after it: counted as skipped, but it is here.
            return new OffsetStep(-1, offset);
        }

        var skipped = 0L;
        if (_last.TryGetValue(partition, out var last) && offset > last + 1)
        {
            skipped = offset - last - 1;
        }

        _last[partition] = offset;
        return new OffsetStep(skipped, last);
    }

    /// <summary>
    /// Called about once a second per partition with the broker's watermarks. When the broker has
    /// already evicted the message this consumer would read next, librdkafka resets to its cached
    /// "earliest" offset; under sustained overload that is evicted too by the time it is fetched,
    /// and the consumer resets forever without reading anything. A whole interval with the next
    /// message gone and nothing read means exactly that: skip to the high watermark (the caller
    /// seeks and counts every message skipped). A broker outage does not trigger it: nothing is
    /// evicted then.
    /// </summary>
    public SkipAhead? CheckStalled(int partition, long? low, long? high)
    {
        long? lastConsumed = _last.TryGetValue(partition, out var last) ? last : null;
        _stalls.TryGetValue(partition, out var previous);
        var nothingRead = previous.LastConsumed == lastConsumed;
        // Where reading should continue; for a partition never read, from the oldest offset first seen.
        var firstLow = previous.FirstLow ?? low;
        var next = lastConsumed + 1 ?? firstLow;
        var evictedPast = next is { } n && low is { } l && n < l;
        var stalls = nothingRead && evictedPast ? previous.Stalls + 1 : 0;
        SkipAhead? skip = null;
        if (stalls >= 1 && next is { } from && high is { } to && to > from)
        {
            stalls = 0;
            _skippedRanges[partition] = (from, to);
            _last[partition] = to - 1;
            lastConsumed = to - 1;
            skip = new SkipAhead(from, low!.Value, to);
        }

        _stalls[partition] = (lastConsumed, stalls, firstLow);
        return skip;
    }
}
