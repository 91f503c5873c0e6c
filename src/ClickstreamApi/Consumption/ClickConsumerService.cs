using ClickstreamApi.Consumption.Sinks;
using ClickstreamApi.Diagnostics;
using ClickstreamApi.Events;
using ClickstreamApi.Kafka;
using ClickstreamApi.Schemas;
using Confluent.Kafka;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Consumption;

/// <summary>
/// Reads the topic on a dedicated thread (librdkafka's Consume blocks, so it must not hold a
/// thread-pool thread) and hands every event to the sinks, every other message to the rejected
/// log. Where it stands in each partition is the <see cref="PartitionTracker"/>'s business; the
/// consumer is created, used and closed on that thread.
/// </summary>
internal sealed partial class ClickConsumerService(
    KafkaEnvironment kafka,
    KafkaClusterStatus cluster,
    ConsumerClientFactory clients,
    FramedEventReader framedEvents,
    IEnumerable<IConsumedEventSink> sinks,
    RejectedMessageLog rejected,
    ConsumerState state,
    IOptions<ConsumerOptions> options,
    IOptions<ObservabilityOptions> observability,
    TimeProvider time,
    ILogger<ClickConsumerService> logger) : BackgroundService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan PositionRefreshInterval = TimeSpan.FromSeconds(1);

    private readonly IConsumedEventSink[] _sinks = [.. sinks];
    private readonly EventLogSampler _rejectionLines = new(observability.Value.EventLogLinesPerSecond, time);
    private readonly PartitionTracker _partitions = new(state, time, logger);
    private readonly Utf8StringPool _strings = new();
    private readonly HeaderReader _headers = new();

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
        using var consumer = clients.Build(_partitions, _strings, framedEvents, logger);
        consumer.Subscribe(kafka.Topic);
        state.SetRunning(true);
        LogStarted(kafka.Topic, kafka.BootstrapServers, kafka.GroupId);
        var nextRefresh = time.GetTimestamp();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (_partitions.TakeAssignmentChanged() || time.GetTimestamp() >= nextRefresh)
                {
                    _partitions.Refresh(consumer);
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

                if (result is { IsPartitionEOF: false, Message: not null } && !TryHandle(consumer, result, stoppingToken))
                {
                    break;
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
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the finally below commits and leaves the group.
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

    /// <summary>Hands the message on; false when the service stopped while the message waited for the registry (it is read again after a restart).</summary>
    private bool TryHandle(IConsumer<Ignore, ParsedMessage> consumer, ConsumeResult<Ignore, ParsedMessage> result, CancellationToken stoppingToken)
    {
        var parsed = result.Message.Value;
        state.ObserveValueSize(parsed.SizeBytes);
        if (parsed.Framed is { } framed)
        {
            FramedEvent read;
            try
            {
                read = framedEvents.Read(framed, kafka.Topic, _strings, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // The offset librdkafka stored when it returned the message points past it: point it back,
                // so the next start reads the message again (unless the partition has gone meanwhile).
                try
                {
                    consumer.StoreOffset(new TopicPartitionOffset(result.TopicPartition, result.Offset));
                }
                catch (KafkaException ex)
                {
                    LogRewindFailed(result.Partition.Value, result.Offset.Value, ex.Error.Reason);
                }

                return false;
            }

            parsed = ParsedMessage.From(read, framed, options.Value.PreviewLength);
        }

        Handle(result, parsed);
        return true;
    }

    private void Handle(ConsumeResult<Ignore, ParsedMessage> result, ParsedMessage parsed)
    {
        var partition = result.Partition.Value;
        var offset = result.Offset.Value;
        var place = _partitions.Read(partition, offset, parsed.Event?.RunId, parsed.Event?.Seq);
        if (place.Join is { RunId: { } joinedRun } join)
        {
            foreach (var sink in _sinks)
            {
                sink.Joined(joinedRun, join.FirstCheckedSeq);
            }
        }

        if (!place.Process)
        {
            return;
        }

        using var activity = KafkaTracing.StartConsume(result.Message.Headers, kafka.Topic, partition, offset);
        if (parsed.Event is { } clickEvent)
        {
            var consumed = new ConsumedEvent(clickEvent, partition, offset, result.Message.Timestamp.UtcDateTime)
            {
                Format = parsed.Format,
                SchemaId = parsed.SchemaId,
                Headers = _headers.Read(result.Message.Headers),
            };
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Consumer disabled by configuration (Consumer:Enabled=false)")]
    private partial void LogDisabled();

    [LoggerMessage(Level = LogLevel.Information, Message = "Consumer waiting for topic {Topic} at {BootstrapServers} before subscribing")]
    private partial void LogWaitingForTopic(string topic, string bootstrapServers);

    [LoggerMessage(Level = LogLevel.Information, Message = "Consumer subscribed to {Topic} at {BootstrapServers} as group {GroupId}")]
    private partial void LogStarted(string topic, string bootstrapServers, string groupId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Consumer stopped after {Consumed} events and {Rejected} rejected messages")]
    private partial void LogStopped(long consumed, long rejected);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected the message at partition {Partition} offset {Offset}: {Reason}: {Detail}")]
    private partial void LogRejected(int partition, long offset, string reason, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping while partition {Partition} offset {Offset} waited for the Schema Registry; its offset could not be stored back ({Reason}), so it may not be read again")]
    private partial void LogRewindFailed(int partition, long offset, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consume error {ErrorCode}: {Reason}")]
    private partial void LogConsumeError(ErrorCode errorCode, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The consumer stopped on a fatal error {ErrorCode}: {Reason}")]
    private partial void LogFatal(Exception exception, ErrorCode errorCode, string reason);
}
