using ClickstreamApi.Consumption.Sinks;
using ClickstreamApi.Diagnostics;
using ClickstreamApi.Events;
using ClickstreamApi.Kafka;
using Confluent.Kafka;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Consumption;

/// <summary>
/// Reads the topic on a dedicated thread (librdkafka's Consume blocks, so it must not hold a
/// thread-pool thread) and hands every event to the sinks, every other message to the rejected
/// log. Offsets are kept by <see cref="PartitionOffsets"/>, join points by
/// <see cref="PartitionJoins"/>; the consumer is created, used and closed on that thread.
/// </summary>
internal sealed partial class ClickConsumerService(
    KafkaEnvironment kafka,
    KafkaClusterStatus cluster,
    KafkaConnectionFailures connectionFailures,
    KafkaTracing tracing,
    LibrdkafkaStatistics statistics,
    IEnumerable<IConsumedEventSink> sinks,
    Analytics.StreamAnalytics analytics,
    RejectedMessageLog rejected,
    ConsumerState state,
    IOptions<ConsumerOptions> options,
    IOptions<ObservabilityOptions> observability,
    TimeProvider time,
    ILogger<ClickConsumerService> logger) : BackgroundService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan PositionRefreshInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan StartOffsetTimeout = TimeSpan.FromSeconds(5);

    private readonly IConsumedEventSink[] _sinks = [.. sinks];
    private readonly EventLogSampler _rejectionLines = new(observability.Value.EventLogLinesPerSecond, time);
    private readonly PartitionOffsets _offsets = new();
    private readonly PartitionJoins _joins = new();
    private volatile bool _assignmentChanged;

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
        using var consumer = Build();
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

                foreach (var sink in _sinks)
                {
                    sink.AfterPoll();
                }
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

    private IConsumer<Ignore, ParsedMessage> Build()
    {
        var config = kafka.CreateConsumerConfig();
        if (tracing.Enabled && config.Get("dotnet.consumer.consume.result.fields") is { } fields
            && !fields.Contains("headers", StringComparison.Ordinal) && !fields.Contains("all", StringComparison.Ordinal))
        {
            // The trace context travels in headers; reading them costs a native call per message, so only when tracing.
            config.ConsumeResultFields = fields + ",headers";
        }

        var builder = new ConsumerBuilder<Ignore, ParsedMessage>(config);
        if (statistics.Configure(config))
        {
            builder.SetStatisticsHandler((_, json) => statistics.Update("consumer", json));
        }

        return builder
            .SetValueDeserializer(new ParsedMessageDeserializer(options.Value.PreviewLength))
            .SetLogHandler((_, message) => KafkaLogging.Log(logger, message))
            .SetErrorHandler((_, error) => KafkaLogging.LogError(logger, connectionFailures, error))
            .SetPartitionsAssignedHandler(OnAssigned)
            .SetPartitionsRevokedHandler((_, partitions) => OnRevoked(partitions, lost: false))
            .SetPartitionsLostHandler((_, partitions) => OnRevoked(partitions, lost: true))
            .Build();
    }

    private void Handle(ConsumeResult<Ignore, ParsedMessage> result)
    {
        var partition = result.Partition.Value;
        var offset = result.Offset.Value;
        var step = _offsets.Read(partition, offset);
        if (step.Skipped != 0)
        {
            state.CountSkipped(step.Skipped);
            if (step.Skipped > 0)
            {
                LogSkipped(step.Skipped, partition, step.LastOffset, offset);
            }
            else
            {
                return;
            }
        }

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

        using var activity = KafkaTracing.StartConsume(result.Message.Headers, kafka.Topic, partition, offset);
        if (parsed.Event is { } clickEvent)
        {
            var consumed = new ConsumedEvent(clickEvent, partition, offset, result.Message.Timestamp.UtcDateTime);
            var now = time.GetUtcNow();
            foreach (var sink in _sinks)
            {
                sink.Accept(consumed, now);
            }

            state.CountConsumed();
            if (activity is { IsAllDataRequested: true })
            {
                activity.SetTag("clickstream.event.id", consumed.EventId.ToString());
                activity.SetTag("clickstream.buffer.sequence", consumed.Sequence);
            }

            return;
        }

        var message = new RejectedMessage(
            parsed.Rejection.Reason,
            parsed.Rejection.Detail,
            partition,
            offset,
            result.Message.Timestamp.UtcDateTime,
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

                var low = watermarks.Low == Offset.Unset ? (long?)null : watermarks.Low.Value;
                if (_offsets.CheckStalled(topicPartition.Partition.Value, low, high) is { } skip)
                {
                    // Count the skip now rather than when the next message comes: there may be none.
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

    private List<TopicPartitionOffset> OnAssigned(IConsumer<Ignore, ParsedMessage> consumer, List<TopicPartition> partitions)
    {
        _assignmentChanged = true;
        state.CountRebalance(assigned: true, lost: false, time.GetUtcNow());
        var starts = StartOffsets(consumer, partitions);
        if (logger.IsEnabled(LogLevel.Information))
        {
            var list = string.Join(",", partitions.Select(p => p.Partition.Value));
            LogAssigned(partitions.Count, list);
        }

        return starts;
    }

    /// <summary>
    /// Where reading each new partition begins (see <see cref="PartitionOffsets.Assign"/>). Anything
    /// between that and the first message actually read was lost before it could be read and is
    /// counted like any other jump. A partition joined in the middle starts one message early, at
    /// the <see cref="PartitionJoins"/> marker, which is read only to learn which seqs lie before it.
    /// </summary>
    private List<TopicPartitionOffset> StartOffsets(IConsumer<Ignore, ParsedMessage> consumer, List<TopicPartition> partitions)
    {
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

        return starts;
    }

    private void OnRevoked(List<TopicPartitionOffset> partitions, bool lost)
    {
        _assignmentChanged = true;
        state.CountRebalance(assigned: false, lost, time.GetUtcNow());
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
