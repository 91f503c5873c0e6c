using System.Diagnostics;
using System.Text;
using ClickstreamApi.Kafka;
using Confluent.Kafka;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Observability;

/// <summary>
/// What the Kafka clients do for telemetry: report librdkafka statistics into
/// <see cref="KafkaStatistics"/>, and carry a W3C <c>traceparent</c> header from the produce activity
/// to the consume activity. Activities and headers exist only while something listens to
/// <see cref="ClickstreamTelemetry.Source"/>, so an untraced service pays one check per event.
/// </summary>
public sealed class KafkaTelemetry(KafkaStatistics statistics, IOptions<TelemetryOptions> options, IConfiguration configuration)
{
    private readonly int _statisticsIntervalMs = options.Value.KafkaStatisticsIntervalMs;

    /// <summary>Whether tracing is on: the consumer then also reads message headers (costly enough to leave off otherwise).</summary>
    public bool Tracing { get; } = options.Value.TracingEnabled(configuration);

    public KafkaStatistics Statistics => statistics;

    /// <summary>Turns on statistics reports (unless Kafka:Producer/Consumer already set statistics.interval.ms).</summary>
    public bool ConfigureStatistics(ClientConfig config)
    {
        if (_statisticsIntervalMs > 0)
        {
            config.StatisticsIntervalMs ??= _statisticsIntervalMs;
        }

        return config.StatisticsIntervalMs > 0;
    }

    /// <summary>Starts the produce activity and puts its traceparent on the message; null when nobody listens or the trace is not sampled.</summary>
    public static Activity? StartProduce(Message<byte[], byte[]> message, string topic)
    {
        if (!ClickstreamTelemetry.Source.HasListeners())
        {
            return null;
        }

        var activity = ClickstreamTelemetry.Source.StartActivity($"send {topic}", ActivityKind.Producer);
        if (activity is null)
        {
            return null;
        }

        if (activity.IsAllDataRequested)
        {
            activity.SetTag("messaging.system", "kafka");
            activity.SetTag("messaging.operation.type", "send");
            activity.SetTag("messaging.destination.name", topic);
            activity.SetTag("messaging.kafka.message.key", Encoding.UTF8.GetString(message.Key));
        }

        message.Headers = [new Header(ClickstreamTelemetry.TraceParentHeader, Encoding.ASCII.GetBytes(activity.Id!))];
        return activity;
    }

    /// <summary>Starts the consume activity as a child of the produce activity named by the message's traceparent.</summary>
    public static Activity? StartConsume(Headers? headers, string topic, int partition, long offset)
    {
        if (headers is not { Count: > 0 } || !ClickstreamTelemetry.Source.HasListeners()
            || !headers.TryGetLastBytes(ClickstreamTelemetry.TraceParentHeader, out var traceParent)
            || !ActivityContext.TryParse(Encoding.ASCII.GetString(traceParent), null, isRemote: true, out var parent))
        {
            return null;
        }

        var activity = ClickstreamTelemetry.Source.StartActivity($"process {topic}", ActivityKind.Consumer, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.system", "kafka");
            activity.SetTag("messaging.operation.type", "process");
            activity.SetTag("messaging.destination.name", topic);
            activity.SetTag("messaging.destination.partition.id", partition);
            activity.SetTag("messaging.kafka.offset", offset);
        }

        return activity;
    }
}
