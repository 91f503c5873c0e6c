using ClickstreamApi.Diagnostics;
using ClickstreamApi.Events;
using ClickstreamApi.Kafka;
using ClickstreamApi.Schemas;
using Confluent.Kafka;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Consumption;

/// <summary>
/// Builds the service's Kafka consumer: the configuration (headers read unless Consumer:ReadHeaders is
/// false and tracing is off), librdkafka's statistics, its logs and errors routed to <see cref="ILogger"/>, and a
/// <see cref="PartitionTracker"/> behind the rebalance handlers.
/// </summary>
internal sealed class ConsumerClientFactory(
    KafkaEnvironment kafka,
    KafkaConnectionFailures connectionFailures,
    KafkaTracing tracing,
    LibrdkafkaStatistics statistics,
    IOptions<ConsumerOptions> options)
{
    public IConsumer<Ignore, ParsedMessage> Build(PartitionTracker partitions, Utf8StringPool strings, FramedEventReader framedEvents, ILogger logger)
    {
        var config = kafka.CreateConsumerConfig();
        if ((options.Value.ReadHeaders || tracing.Enabled) && config.Get("dotnet.consumer.consume.result.fields") is { } fields
            && !fields.Contains("headers", StringComparison.Ordinal) && !fields.Contains("all", StringComparison.Ordinal))
        {
            // Headers (and the trace context in them) cost a native call per message: read them only when asked to.
            config.ConsumeResultFields = fields + ",headers";
        }

        var builder = new ConsumerBuilder<Ignore, ParsedMessage>(config);
        if (statistics.Configure(config))
        {
            builder.SetStatisticsHandler((_, json) => statistics.Update("consumer", json));
        }

        return builder
            .SetValueDeserializer(new ParsedMessageDeserializer(options.Value.PreviewLength, strings, framedEvents))
            .SetLogHandler((_, message) => KafkaLogging.Log(logger, message))
            .SetErrorHandler((_, error) => KafkaLogging.LogError(logger, connectionFailures, error))
            .SetPartitionsAssignedHandler(partitions.Assigned)
            .SetPartitionsRevokedHandler((_, revoked) => partitions.Revoked(revoked, lost: false))
            .SetPartitionsLostHandler((_, lost) => partitions.Revoked(lost, lost: true))
            .SetOffsetsCommittedHandler((_, committed) => partitions.Committed(committed))
            .Build();
    }
}
