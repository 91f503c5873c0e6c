using ClickstreamApi.Analytics;
using ClickstreamApi.Events;
using ClickstreamApi.Kafka;
using ClickstreamApi.Observability;
using Confluent.Kafka;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Consumption;

/// <summary>
/// Reads the topic into the ring buffer on a dedicated thread (librdkafka's Consume blocks, so it
/// must not hold a thread-pool thread). The consumer is created, used and closed on that thread.
/// </summary>
internal sealed partial class ClickConsumerService(
    KafkaEnvironment kafka,
    KafkaClusterStatus cluster,
    KafkaConnectionFailures connectionFailures,
    RingBuffer<ConsumedEvent> buffer,
    StreamHub hub,
    StreamAnalytics analytics,
    RejectedMessageLog rejected,
    ConsumerState state,
    ClickstreamMetrics metrics,
    KafkaTelemetry telemetry,
    IOptions<ConsumerOptions> options,
    IOptions<ObservabilityOptions> observability,
    TimeProvider time,
    ILogger<ClickConsumerService> logger) : BackgroundService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan PositionRefreshInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan StartOffsetTimeout = TimeSpan.FromSeconds(5);

    private readonly EventLogSampler _eventLines = new(observability.Value.EventLogLinesPerSecond, time);
    private readonly EventLogSampler _rejectionLines = new(observability.Value.EventLogLinesPerSecond, time);
    private readonly Dictionary<int, long> _lastOffsets = [];
    private readonly Dictionary<int, (long? LastConsumed, int Stalls, long? FirstLow)> _stalls = [];
    private readonly Dictionary<int, (long From, long To)> _skippedRanges = [];
    private readonly Dictionary<int, long> _resumeAt = [];
    private readonly PartitionJoins _joins = new();
    private volatile bool _assignmentChanged;

    /// <summary>Event lines not written to the log because of the per-second cap.</summary>
    public long SuppressedEventLines => _eventLines.Suppressed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            LogDisabled();
            return;
        }

        // Subscribing to a topic that does not exist yet would leave the consumer without partitions
        // until its next metadata refresh (minutes): subscribe once the monitor has found or created it.
        if (!cluster.TopicReady.IsCompleted)
        {
            LogWaitingForTopic(kafka.Topic, kafka.BootstrapServers);
            await cluster.TopicReady.WaitAsync(stoppingToken);
        }

        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Run(stoppingToken);
                completion.SetResult();
            }
            catch (Exception ex)
            {
                completion.SetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = "clickstream-consumer",
        };
        thread.Start();
        await completion.Task;
    }

    private void Run(CancellationToken stoppingToken)
    {
        var config = kafka.CreateConsumerConfig();
        if (telemetry.Tracing && config.Get("dotnet.consumer.consume.result.fields") is { } fields
            && !fields.Contains("headers", StringComparison.Ordinal) && !fields.Contains("all", StringComparison.Ordinal))
        {
            // The traceparent travels in a header; reading headers costs a native call per message, so only when tracing.
            config.ConsumeResultFields = fields + ",headers";
        }

        var builder = new ConsumerBuilder<Ignore, ParsedMessage>(config);
        if (telemetry.ConfigureStatistics(config))
        {
            builder.SetStatisticsHandler((_, json) => telemetry.Statistics.Update("consumer", json));
        }

        using var consumer = builder
            .SetValueDeserializer(new ParsedMessageDeserializer(options.Value.PreviewLength))
            .SetLogHandler((_, message) => KafkaLogging.Log(logger, message))
            .SetErrorHandler((_, error) => KafkaLogging.LogError(logger, connectionFailures, error))
            .SetPartitionsAssignedHandler((c, partitions) => OnAssigned(c, partitions))
            .SetPartitionsRevokedHandler((_, partitions) => OnRevoked(partitions, lost: false))
            .SetPartitionsLostHandler((_, partitions) => OnRevoked(partitions, lost: true))
            .Build();

        consumer.Subscribe(kafka.Topic);
        state.SetRunning(true);
        LogStarted(kafka.Topic, kafka.BootstrapServers, kafka.GroupId);
        var nextRefresh = time.GetTimestamp();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (_assignmentChanged || time.GetTimestamp() >= nextRefresh)
                {
                    _assignmentChanged = false;
                    RefreshPositions(consumer);
                    nextRefresh = time.GetTimestamp() + (long)(PositionRefreshInterval.TotalSeconds * time.TimestampFrequency);
                }

                ConsumeResult<Ignore, ParsedMessage>? result;
                try
                {
                    result = consumer.Consume(PollInterval);
                }
                catch (ConsumeException ex) when (!ex.Error.IsFatal)
                {
                    LogConsumeError(ex.Error.Code, ex.Error.Reason);
                    continue;
                }

                if (result is { IsPartitionEOF: false, Message: not null })
                {
                    Handle(result);
                }

                analytics.PublishIfDue();
            }
        }
        catch (ConsumeException ex)
        {
            LogFatal(ex, ex.Error.Code, ex.Error.Reason);
        }
        finally
        {
            state.SetRunning(false);
            state.SetPartitions([]);
            // Commits the final offsets and leaves the group cleanly, on the thread that consumed.
            consumer.Close();
            LogStopped(state.Consumed, state.Rejected);
        }
    }

    private void Handle(ConsumeResult<Ignore, ParsedMessage> result)
    {
        var partition = result.Partition.Value;
        var offset = result.Offset.Value;
        TrackOffset(partition, offset);
        var parsed = result.Message.Value;
        if (_joins.Pending > 0)
        {
            var join = _joins.Observe(partition, offset, parsed.Event?.RunId, parsed.Event?.Seq);
            if (join.RunId is { } joinedRun)
            {
                analytics.RecordJoin(joinedRun, join.FirstCheckedSeq);
                LogJoined(partition, offset, joinedRun, join.FirstCheckedSeq);
            }

            if (join.IsMarker)
            {
                // Consumed before this consumer joined: it only told where the join point is.
                return;
            }
        }

        using var activity = KafkaTelemetry.StartConsume(result.Message.Headers, kafka.Topic, partition, offset);
        var timestamp = result.Message.Timestamp.UtcDateTime;
        if (parsed.Event is { } clickEvent)
        {
            var consumed = new ConsumedEvent(clickEvent, partition, offset, timestamp) { Sequence = buffer.LastSequence + 1 };
            buffer.Append(consumed);
            hub.Pulse();
            var now = time.GetUtcNow();
            analytics.Record(consumed, now);
            metrics.RecordLatency(consumed.OccurredAt, now);
            state.CountConsumed();
            if (activity is { IsAllDataRequested: true })
            {
                activity.SetTag("clickstream.event.id", consumed.EventId.ToString());
                activity.SetTag("clickstream.buffer.sequence", consumed.Sequence);
            }

            if (logger.IsEnabled(LogLevel.Information) && _eventLines.TryAcquire())
            {
                LogEvent(consumed.UserId, consumed.EventType, consumed.Page, consumed.OccurredAt.UtcDateTime, partition, offset);
            }

            return;
        }

        var message = new RejectedMessage(
            parsed.Rejection.Reason,
            parsed.Rejection.Detail,
            partition,
            offset,
            timestamp,
            parsed.SizeBytes,
            parsed.Preview ?? string.Empty,
            time.GetUtcNow());
        rejected.Add(message);
        state.CountRejected();
        if (_rejectionLines.TryAcquire())
        {
            LogRejected(partition, offset, message.Reason, message.Detail);
        }
    }

    // Offsets within a partition are contiguous for this producer (idempotent, no transactions), so
    // a forward jump means messages were skipped, typically evicted before we read them.
    private void TrackOffset(int partition, long offset)
    {
        if (_skippedRanges.TryGetValue(partition, out var range) && offset >= range.From && offset < range.To)
        {
            // Fetched before the skip and delivered after it: it was counted as skipped, but it is here.
            state.CountSkipped(-1);
            return;
        }

        if (_lastOffsets.TryGetValue(partition, out var last) && offset > last + 1)
        {
            var skipped = offset - last - 1;
            state.CountSkipped(skipped);
            LogSkipped(skipped, partition, last, offset);
        }

        _lastOffsets[partition] = offset;
    }

    private void RefreshPositions(IConsumer<Ignore, ParsedMessage> consumer)
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

                SkipAheadIfEvictedPast(consumer, topicPartition, position, watermarks.Low == Offset.Unset ? null : watermarks.Low.Value, high);
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
    /// When the broker has already evicted the message this consumer would read next, librdkafka
    /// resets to its cached "earliest" offset; under sustained overload that offset is evicted too
    /// by the time it is fetched, and the consumer resets forever without reading anything. A whole
    /// refresh interval with the next message gone and nothing read means exactly that: skip to
    /// the high watermark and count every message skipped. A broker outage does not trigger this:
    /// nothing is evicted then.
    /// </summary>
    private void SkipAheadIfEvictedPast(IConsumer<Ignore, ParsedMessage> consumer, TopicPartition topicPartition, long? position, long? low, long? high)
    {
        var partition = topicPartition.Partition.Value;
        long? lastConsumed = _lastOffsets.TryGetValue(partition, out var last) ? last : null;
        _stalls.TryGetValue(partition, out var previous);
        var nothingRead = previous.LastConsumed == lastConsumed;
        // Where reading should continue; for a partition never read, from the oldest offset first seen.
        var firstLow = previous.FirstLow ?? low;
        var next = lastConsumed + 1 ?? firstLow;
        var evictedPast = next is { } n && low is { } l && n < l;
        var stalls = nothingRead && evictedPast ? previous.Stalls + 1 : 0;
        if (stalls >= 1 && next is { } from && high is { } to && to > from)
        {
            stalls = 0;
            // Count the skip now rather than when the next message comes: there may be none.
            state.CountSkipped(to - from);
            _skippedRanges[partition] = (from, to);
            _lastOffsets[partition] = to - 1;
            lastConsumed = to - 1;
            LogSkipToNewest(partition, from, low!.Value, to);
            consumer.Seek(new TopicPartitionOffset(topicPartition, new Offset(to)));
        }

        _stalls[partition] = (lastConsumed, stalls, firstLow);
    }

    private List<TopicPartitionOffset> OnAssigned(IConsumer<Ignore, ParsedMessage> consumer, List<TopicPartition> partitions)
    {
        _assignmentChanged = true;
        state.CountRebalance(assigned: true, lost: false, time.GetUtcNow());
        var starts = RecordStartOffsets(consumer, partitions);
        if (logger.IsEnabled(LogLevel.Information))
        {
            var list = string.Join(",", partitions.Select(p => p.Partition.Value));
            LogAssigned(partitions.Count, list);
        }

        return starts;
    }

    /// <summary>
    /// Where reading each new partition should begin: the committed offset, or for a new group the
    /// oldest message held. Anything between that and the first message actually read was lost
    /// before it could be read, and <see cref="TrackOffset"/> counts it like any other jump. A
    /// partition joined in the middle starts one message early, at the <see cref="PartitionJoins"/>
    /// marker, which is read only to learn which seqs lie before the join point.
    /// </summary>
    /// <remarks>
    /// A partition this instance read before losing it (a broker outage longer than the session
    /// timeout makes the group forget the member before its latest offsets were committed) continues
    /// after the last message actually read, not from the older commit: nothing is read twice.
    /// A newer commit (another member of a shared group read further) wins.
    /// </remarks>
    private List<TopicPartitionOffset> RecordStartOffsets(IConsumer<Ignore, ParsedMessage> consumer, List<TopicPartition> partitions)
    {
        var starts = new List<TopicPartitionOffset>(partitions.Count);
        try
        {
            var committed = consumer.Committed(partitions, StartOffsetTimeout);
            foreach (var position in committed)
            {
                var partition = position.Partition.Value;
                var watermarks = consumer.QueryWatermarkOffsets(position.TopicPartition, StartOffsetTimeout);
                var low = watermarks.Low.Value;
                var start = position.Offset.Value >= 0 ? position.Offset.Value : low;
                if (_resumeAt.Remove(partition, out var resume) && resume >= start)
                {
                    // Everything before was read by this consumer: no new join point.
                    _joins.JoinedAtStart(partition);
                    if (resume > start)
                    {
                        LogResumedAfterRead(partition, resume, start);
                    }

                    starts.Add(new TopicPartitionOffset(position.TopicPartition, resume > start ? new Offset(resume) : Offset.Unset));
                    _lastOffsets[partition] = resume - 1;
                    continue;
                }

                var from = start;
                if (start <= 0 || (start == low && low == watermarks.High.Value))
                {
                    // Read from its start, or nothing held at all (retention emptied it, so no run
                    // is under way there): whatever arrives comes after the join.
                    _joins.JoinedAtStart(partition);
                }
                else if (start - 1 >= low)
                {
                    // Read the message before the join point once: it says which seqs were before it.
                    from = start - 1;
                    _joins.JoinedMidway(partition, from);
                }
                else
                {
                    _joins.JoinedMidway(partition, null);
                }

                starts.Add(new TopicPartitionOffset(position.TopicPartition, from == start ? Offset.Unset : new Offset(from)));
                _lastOffsets[partition] = from - 1;
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
                starts.Add(new TopicPartitionOffset(partition, _resumeAt.Remove(partition.Partition.Value, out var resume) ? new Offset(resume) : Offset.Unset));
            }
        }

        return starts;
    }

    private void OnRevoked(List<TopicPartitionOffset> partitions, bool lost)
    {
        _assignmentChanged = true;
        state.CountRebalance(assigned: false, lost, time.GetUtcNow());
        foreach (var partition in partitions)
        {
            if (_lastOffsets.Remove(partition.Partition.Value, out var last) && last >= 0)
            {
                _resumeAt[partition.Partition.Value] = last + 1;
            }

            _stalls.Remove(partition.Partition.Value);
            _skippedRanges.Remove(partition.Partition.Value);
            _joins.Left(partition.Partition.Value);
        }

        if (logger.IsEnabled(LogLevel.Information))
        {
            var list = string.Join(",", partitions.Select(p => p.Partition.Value));
            LogRevoked(partitions.Count, list, lost);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Consumer disabled by configuration (Consumer:Enabled=false)")]
    private partial void LogDisabled();

    [LoggerMessage(Level = LogLevel.Information, Message = "Consumer waiting for topic {Topic} at {BootstrapServers} before subscribing")]
    private partial void LogWaitingForTopic(string topic, string bootstrapServers);

    [LoggerMessage(Level = LogLevel.Information, Message = "Partition {Partition} joined mid-way (offset {Offset}): seqs of run {RunId} below {FirstCheckedSeq} may have been read before this consumer joined and count as before-join, not missing")]
    private partial void LogJoined(int partition, long offset, string runId, long firstCheckedSeq);

    [LoggerMessage(Level = LogLevel.Information, Message = "Consumer subscribed to {Topic} at {BootstrapServers} as group {GroupId}")]
    private partial void LogStarted(string topic, string bootstrapServers, string groupId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Consumer stopped after {Consumed} events and {Rejected} rejected messages")]
    private partial void LogStopped(long consumed, long rejected);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} {EventType} {Page} at {OccurredAt:O} [partition {Partition}, offset {Offset}]")]
    private partial void LogEvent(string userId, string eventType, string page, DateTime occurredAt, int partition, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected the message at partition {Partition} offset {Offset}: {Reason}: {Detail}")]
    private partial void LogRejected(int partition, long offset, string reason, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped {Skipped} message(s) in partition {Partition}: offset jumped from {LastOffset} to {Offset} (evicted before they were read?)")]
    private partial void LogSkipped(long skipped, int partition, long lastOffset, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition}: the next message (offset {Offset}) was evicted before it could be read and the oldest held ({Low}) keeps moving; skipping to offset {HighWatermark} and counting the skipped messages")]
    private partial void LogSkipToNewest(int partition, long offset, long low, long highWatermark);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read where new partitions start ({Reason}); messages lost before the first one read will not be counted")]
    private partial void LogStartUnknown(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consume error {ErrorCode}: {Reason}")]
    private partial void LogConsumeError(ErrorCode errorCode, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The consumer stopped on a fatal error {ErrorCode}: {Reason}")]
    private partial void LogFatal(Exception exception, ErrorCode errorCode, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition}: resuming at offset {Offset}, after the last message this instance read, instead of the committed {Committed} (the group lost it before the offsets were committed)")]
    private partial void LogResumedAfterRead(int partition, long offset, long committed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Assigned {Count} partition(s): {Partitions}")]
    private partial void LogAssigned(int count, string partitions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Revoked {Count} partition(s): {Partitions} (lost: {Lost})")]
    private partial void LogRevoked(int count, string partitions, bool lost);
}
