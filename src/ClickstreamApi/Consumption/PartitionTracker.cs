using Confluent.Kafka;

namespace ClickstreamApi.Consumption;

/// <summary>What reading a message means, once its place in the partition is accounted for.</summary>
/// <param name="Process">Whether the message goes on to the sinks or the rejected log (false for a join marker, or a message the skip-ahead already counted).</param>
/// <param name="Join">When this message showed where the consumer joined its partition: the run and its first checked seq.</param>
internal readonly record struct MessagePlace(bool Process, JoinObservation? Join);

/// <summary>
/// Where the consumer stands in each partition, on the consumer thread: where a newly assigned
/// partition starts (with <see cref="PartitionOffsets"/> and <see cref="PartitionJoins"/>), what
/// each message read means for the offsets before it, positions and lag for the API about once a
/// second, and the skip to the newest offset when the broker evicts faster than the consumer reads.
/// Talks to Kafka only through the consumer it is handed.
/// </summary>
internal sealed partial class PartitionTracker(ConsumerState state, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan StartOffsetTimeout = TimeSpan.FromSeconds(5);

    private readonly PartitionOffsets _offsets = new();
    private readonly PartitionJoins _joins = new();
    private volatile bool _assignmentChanged;

    /// <summary>Set by a rebalance: positions should be refreshed before the next poll.</summary>
    public bool TakeAssignmentChanged()
    {
        var changed = _assignmentChanged;
        _assignmentChanged = false;
        return changed;
    }

    /// <summary>Accounts for a message read at <paramref name="offset"/> of <paramref name="partition"/>.</summary>
    public MessagePlace Read(int partition, long offset, string? runId, long? seq)
    {
        var step = _offsets.Read(partition, offset);
        if (step.Skipped < 0)
        {
            // Fetched before a skip-ahead and delivered after it: counted as skipped, so taken back.
            state.CountSkipped(step.Skipped);
            return new MessagePlace(false, null);
        }

        if (step.Skipped > 0)
        {
            state.CountSkipped(step.Skipped);
            LogSkipped(step.Skipped, partition, step.LastOffset, offset);
        }

        if (_joins.Pending == 0)
        {
            return new MessagePlace(true, null);
        }

        var join = _joins.Observe(partition, offset, runId, seq);
        if (join.RunId is { } joinedRun)
        {
            LogJoined(partition, offset, joinedRun, join.FirstCheckedSeq);
        }

        // A marker was consumed before this consumer joined: it only told where the join point is.
        return new MessagePlace(!join.IsMarker, join.RunId is null ? null : join);
    }

    /// <summary>Positions, high watermarks and lag of every assigned partition, and the skip-ahead check.</summary>
    public void Refresh(IConsumer<Ignore, ParsedMessage> consumer)
    {
        var assignment = consumer.Assignment;
        var positions = new List<PartitionPosition>(assignment.Count);
        foreach (var topicPartition in assignment)
        {
            long? position = null, high = null, lag = null;
            try
            {
                var current = consumer.Position(topicPartition);
                position = current == Offset.Unset ? null : current.Value;
                var watermarks = consumer.GetWatermarkOffsets(topicPartition);
                high = watermarks.High == Offset.Unset ? null : watermarks.High.Value;
                if (position is { } p && high is { } h)
                {
                    lag = Math.Max(0, h - p);
                }

                var low = watermarks.Low == Offset.Unset ? (long?)null : watermarks.Low.Value;
                if (_offsets.CheckStalled(topicPartition.Partition.Value, low, high) is { } skip)
                {
                    // Counted now rather than when the next message comes: there may be none.
                    state.CountSkipped(skip.To - skip.From);
                    LogSkipToNewest(topicPartition.Partition.Value, skip.From, skip.Low, skip.To);
                    consumer.Seek(new TopicPartitionOffset(topicPartition, new Offset(skip.To)));
                }
            }
            catch (KafkaException)
            {
                // Positions are unknown until the first fetch; report them as such.
            }

            positions.Add(new PartitionPosition(topicPartition.Partition.Value, position, high, lag));
        }

        positions.Sort(static (a, b) => a.Partition.CompareTo(b.Partition));
        state.SetPartitions(positions);
    }

    /// <summary>
    /// The assignment handler: where reading each new partition begins (see
    /// <see cref="PartitionOffsets.Assign"/>). A partition joined in the middle starts one message
    /// early, at the <see cref="PartitionJoins"/> marker.
    /// </summary>
    public List<TopicPartitionOffset> Assigned(IConsumer<Ignore, ParsedMessage> consumer, List<TopicPartition> partitions)
    {
        _assignmentChanged = true;
        state.CountRebalance(assigned: true, lost: false, time.GetUtcNow());
        var starts = new List<TopicPartitionOffset>(partitions.Count);
        try
        {
            foreach (var position in consumer.Committed(partitions, StartOffsetTimeout))
            {
                var partition = position.Partition.Value;
                var watermarks = consumer.QueryWatermarkOffsets(position.TopicPartition, StartOffsetTimeout);
                var start = _offsets.Assign(partition, position.Offset.Value >= 0 ? position.Offset.Value : null, watermarks.Low.Value, watermarks.High.Value);
                if (start.ResumedAfterRead)
                {
                    LogResumedAfterRead(partition, start.Offset!.Value, start.Committed);
                }

                if (start.JoinedMidway)
                {
                    _joins.JoinedMidway(partition, start.MarkerOffset);
                }
                else
                {
                    _joins.JoinedAtStart(partition);
                }

                starts.Add(new TopicPartitionOffset(position.TopicPartition, start.Offset is { } offset ? new Offset(offset) : Offset.Unset));
            }
        }
        catch (KafkaException ex)
        {
            // Without a start, losses before the first message read are not counted; say so.
            LogStartUnknown(ex.Error.Reason);
            starts.Clear();
            foreach (var partition in partitions)
            {
                // The first event read bounds what may lie before it.
                _joins.JoinedMidway(partition.Partition.Value, null);
                starts.Add(new TopicPartitionOffset(partition, _offsets.AssignUnknown(partition.Partition.Value) is { } resume ? new Offset(resume) : Offset.Unset));
            }
        }

        if (logger.IsEnabled(LogLevel.Information))
        {
            var list = string.Join(",", partitions.Select(p => p.Partition.Value));
            LogAssigned(partitions.Count, list);
        }

        return starts;
    }

    /// <summary>The offsets-committed handler: what the group has committed, partition by partition.</summary>
    public void Committed(CommittedOffsets committed)
    {
        if (committed.Error.IsError)
        {
            return;
        }

        foreach (var offset in committed.Offsets)
        {
            if (!offset.Error.IsError && offset.Offset.Value >= 0)
            {
                state.ReportCommitted(offset.Partition.Value, offset.Offset.Value);
            }
        }
    }

    /// <summary>The revocation (and lost-partitions) handler.</summary>
    public void Revoked(List<TopicPartitionOffset> partitions, bool lost)
    {
        _assignmentChanged = true;
        state.CountRebalance(assigned: false, lost, time.GetUtcNow());
        state.ForgetCommitted(partitions.Select(p => p.Partition.Value));
        foreach (var partition in partitions)
        {
            _offsets.Revoke(partition.Partition.Value);
            _joins.Left(partition.Partition.Value);
        }

        if (logger.IsEnabled(LogLevel.Information))
        {
            var list = string.Join(",", partitions.Select(p => p.Partition.Value));
            LogRevoked(partitions.Count, list, lost);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Partition {Partition} joined mid-way (offset {Offset}): seqs of run {RunId} below {FirstCheckedSeq} may have been read before this consumer joined and count as before-join, not missing")]
    private partial void LogJoined(int partition, long offset, string runId, long firstCheckedSeq);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped {Skipped} message(s) in partition {Partition}: offset jumped from {LastOffset} to {Offset} (evicted before they were read?)")]
    private partial void LogSkipped(long skipped, int partition, long lastOffset, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition}: the next message (offset {Offset}) was evicted before it could be read and the oldest held ({Low}) keeps moving; skipping to offset {HighWatermark} and counting the skipped messages")]
    private partial void LogSkipToNewest(int partition, long offset, long low, long highWatermark);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read where new partitions start ({Reason}); messages lost before the first one read will not be counted")]
    private partial void LogStartUnknown(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition}: resuming at offset {Offset}, after the last message this instance read, instead of the committed {Committed} (the group lost it before the offsets were committed)")]
    private partial void LogResumedAfterRead(int partition, long offset, long committed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Assigned {Count} partition(s): {Partitions}")]
    private partial void LogAssigned(int count, string partitions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Revoked {Count} partition(s): {Partitions} (lost: {Lost})")]
    private partial void LogRevoked(int count, string partitions, bool lost);
}
