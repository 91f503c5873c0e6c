using ClickstreamApi.Generation.Dimensions;
using ClickstreamApi.Kafka;

namespace ClickstreamApi.Generation;

/// <summary>
/// Hands a run's messages to the producer (events, and the dimension rows before the events that
/// need them), waiting while librdkafka's queue is full and giving up once the run has been stopped
/// or replaced.
/// </summary>
internal sealed partial class RunSender(
    GeneratorControls controls,
    GeneratorCounters counters,
    ClickProducer producer,
    DimensionTopics dimensionTopics,
    TimeProvider time,
    ILogger<RunSender> logger)
{
    private static readonly TimeSpan QueueFullBackoff = TimeSpan.FromMilliseconds(5);

    /// <summary>The run's population and catalogue, stamped with its start, before its first event; false if the run ended meanwhile.</summary>
    public async ValueTask<bool> PublishSnapshotAsync(GeneratorRun run, RunDimensions dimensions, long checkEvery, CancellationToken stoppingToken)
    {
        var sent = 0L;
        foreach (var message in dimensions.Snapshot())
        {
            if (!await SendDimensionAsync(run, dimensions, message, stoppingToken))
            {
                return false;
            }

            // A large population takes a while: a stop (or a new run) is taken in between rows.
            if (++sent % checkEvery == 0 && !run.IsCurrent(controls.Current))
            {
                return false;
            }
        }

        var counts = counters.Dimensions;
        LogDimensionsPublished(run.Id, counts.Users, dimensionTopics.Users, counts.Products, dimensionTopics.Products, dimensions.Start);
        return true;
    }

    /// <summary>Makes and hands over every change due at or before <paramref name="until"/>; false if the run ended meanwhile.</summary>
    public async ValueTask<bool> PublishChangesAsync(GeneratorRun run, RunDimensions dimensions, DateTimeOffset until, CancellationToken stoppingToken)
    {
        while (dimensions.NextChangeAt <= until)
        {
            if (dimensions.TakeChange() is { } message && !await SendDimensionAsync(run, dimensions, message, stoppingToken))
            {
                return false;
            }
        }

        return true;
    }

    private async ValueTask<bool> SendDimensionAsync(GeneratorRun run, RunDimensions dimensions, DimensionMessage message, CancellationToken stoppingToken)
    {
        while (!producer.TryProduceDimension(message.Topic, message.Key, message.Value, message.Timestamp, dimensions.HeadersFor(message)))
        {
            await Task.Delay(QueueFullBackoff, time, stoppingToken);
            var state = controls.Current;
            if (!run.IsCurrent(state))
            {
                return false;
            }
        }

        counters.Dimensions.Count(message.Kind);
        return true;
    }

    /// <summary>Hands one message over, waiting while librdkafka's queue is full; false if the run ended meanwhile.</summary>
    public async ValueTask<bool> SendAsync(GeneratorRun run, byte[] key, byte[] value, DateTimeOffset timestamp, Confluent.Kafka.Headers? headers, CancellationToken stoppingToken)
    {
        while (!producer.TryProduce(key, value, timestamp, headers))
        {
            await Task.Delay(QueueFullBackoff, time, stoppingToken);
            var state = controls.Current;
            if (!run.IsCurrent(state))
            {
                return false;
            }
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Generator run {RunId} published {Users} users to {UsersTopic} and {Products} products to {ProductsTopic} at {StartAt:O}")]
    private partial void LogDimensionsPublished(string runId, long users, string usersTopic, long products, string productsTopic, DateTimeOffset startAt);
}
