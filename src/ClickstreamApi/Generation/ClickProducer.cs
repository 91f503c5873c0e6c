using ClickstreamApi.Diagnostics;
using ClickstreamApi.Kafka;
using ClickstreamApi.Observability;
using Confluent.Kafka;

namespace ClickstreamApi.Generation;

/// <summary>
/// The service's one long-lived, idempotent producer. Events are handed over with
/// <c>Produce</c> and a shared delivery handler (no task per event); every event handed over is
/// eventually counted as delivered or failed.
/// </summary>
public sealed partial class ClickProducer : IDisposable
{
    private readonly KafkaEnvironment _kafka;
    private readonly ILogger<ClickProducer> _logger;
    private readonly IProducer<byte[], byte[]> _producer;
    private readonly Action<DeliveryReport<byte[], byte[]>> _onDelivered;
    private readonly Action<DeliveryReport<byte[], byte[]>> _onDimensionDelivered;
    private readonly EventLogSampler _failureLines;
    private long _produced;
    private long _delivered;
    private long _failed;
    private long _queueFull;
    private long _dimensionsProduced;
    private long _dimensionsDelivered;
    private long _dimensionsFailed;
    private int _disposed;

    public ClickProducer(KafkaEnvironment kafka, KafkaConnectionFailures connectionFailures, LibrdkafkaStatistics statistics, TimeProvider time, ILogger<ClickProducer> logger)
    {
        _kafka = kafka;
        _logger = logger;
        _failureLines = new EventLogSampler(1, time);
        _onDelivered = OnDelivered;
        _onDimensionDelivered = OnDimensionDelivered;
        var config = kafka.CreateProducerConfig();
        var builder = new ProducerBuilder<byte[], byte[]>(config)
            .SetLogHandler((_, message) => KafkaLogging.Log(logger, message))
            .SetErrorHandler((_, error) => KafkaLogging.LogError(logger, connectionFailures, error));
        if (statistics.Configure(config))
        {
            builder.SetStatisticsHandler((_, json) => statistics.Update("producer", json));
        }

        _producer = builder.Build();
    }

    /// <summary>Events accepted by the producer's local queue.</summary>
    public long Produced => Interlocked.Read(ref _produced);

    /// <summary>Events the cluster acknowledged.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Events that could not be delivered (after librdkafka's retries) or were abandoned at shutdown.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Events accepted and not yet delivered or failed.</summary>
    public long Queued => Math.Max(0, Produced - Delivered - Failed);

    /// <summary>Dimension-topic messages (users, products) accepted by the producer's local queue; not in <see cref="Produced"/>.</summary>
    public long DimensionsProduced => Interlocked.Read(ref _dimensionsProduced);

    /// <summary>Dimension-topic messages the cluster acknowledged.</summary>
    public long DimensionsDelivered => Interlocked.Read(ref _dimensionsDelivered);

    /// <summary>Dimension-topic messages that could not be delivered.</summary>
    public long DimensionsFailed => Interlocked.Read(ref _dimensionsFailed);

    /// <summary>Dimension-topic messages accepted and not yet delivered or failed.</summary>
    public long DimensionsQueued => Math.Max(0, DimensionsProduced - DimensionsDelivered - DimensionsFailed);

    /// <summary>Times the local queue was full and the generator had to back off.</summary>
    public long QueueFullBackoffs => Interlocked.Read(ref _queueFull);

    /// <summary>
    /// Hands one event to librdkafka. Returns false when the local queue is full: the caller should
    /// back off and offer the same event again.
    /// </summary>
    public bool TryProduce(byte[] key, byte[] value, DateTimeOffset timestamp, Headers? headers = null)
    {
        var message = new Message<byte[], byte[]> { Key = key, Value = value, Timestamp = new Timestamp(timestamp), Headers = headers };
        // Null (and nothing allocated) unless a tracer or test listens.
        using var activity = KafkaTracing.StartProduce(message, _kafka.Topic);
        try
        {
            _producer.Produce(_kafka.Topic, message, _onDelivered);
        }
        catch (ProduceException<byte[], byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
        {
            Interlocked.Increment(ref _queueFull);
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, "local queue full; the event is offered again");
            return false;
        }

        Interlocked.Increment(ref _produced);
        return true;
    }

    /// <summary>
    /// Hands one dimension row (or tombstone, a null value) to librdkafka for <paramref name="topic"/>,
    /// counted apart from the click events. False when the local queue is full: back off and offer it again.
    /// </summary>
    public bool TryProduceDimension(string topic, byte[] key, byte[]? value, DateTimeOffset timestamp, Headers? headers = null)
    {
        var message = new Message<byte[], byte[]> { Key = key, Value = value!, Timestamp = new Timestamp(timestamp), Headers = headers };
        try
        {
            _producer.Produce(topic, message, _onDimensionDelivered);
        }
        catch (ProduceException<byte[], byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
        {
            Interlocked.Increment(ref _queueFull);
            return false;
        }

        Interlocked.Increment(ref _dimensionsProduced);
        return true;
    }

    /// <summary>Waits for queued events to be delivered; returns how many are still queued.</summary>
    public int Flush(TimeSpan timeout)
    {
        var remaining = _producer.Flush(timeout);
        LogFlushed(Produced, Delivered, Failed, remaining);
        return remaining;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        var remaining = _producer.Flush(TimeSpan.FromSeconds(1));
        if (remaining > 0)
        {
            // librdkafka drops these when the handle is destroyed: say so and count them.
            Interlocked.Add(ref _failed, remaining);
            LogAbandoned(remaining);
        }

        _producer.Dispose();
    }

    private void OnDelivered(DeliveryReport<byte[], byte[]> report)
    {
        if (!report.Error.IsError)
        {
            Interlocked.Increment(ref _delivered);
            return;
        }

        Interlocked.Increment(ref _failed);
        if (_failureLines.TryAcquire())
        {
            LogDeliveryFailed(report.Error.Code, report.Error.Reason, Failed);
        }
    }

    private void OnDimensionDelivered(DeliveryReport<byte[], byte[]> report)
    {
        if (!report.Error.IsError)
        {
            Interlocked.Increment(ref _dimensionsDelivered);
            return;
        }

        Interlocked.Increment(ref _dimensionsFailed);
        if (_failureLines.TryAcquire())
        {
            LogDimensionDeliveryFailed(report.Error.Code, report.Error.Reason, DimensionsFailed);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Dimension record delivery failed: {ErrorCode} {Reason} ({Failed} failed so far; at most one such line per second)")]
    private partial void LogDimensionDeliveryFailed(ErrorCode errorCode, string reason, long failed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Event delivery failed: {ErrorCode} {Reason} ({Failed} failed so far; at most one such line per second)")]
    private partial void LogDeliveryFailed(ErrorCode errorCode, string reason, long failed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Producer flushed: {Produced} handed over, {Delivered} delivered, {Failed} failed, {Remaining} still queued")]
    private partial void LogFlushed(long produced, long delivered, long failed, int remaining);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Remaining} event(s) were still queued at shutdown and are counted as failed")]
    private partial void LogAbandoned(int remaining);
}
