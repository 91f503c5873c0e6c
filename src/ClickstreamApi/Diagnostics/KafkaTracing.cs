using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;

namespace ClickstreamApi.Diagnostics;

/// <summary>
/// Trace context across Kafka: an activity around producing a message, its context written into
/// the message's headers by OpenTelemetry's propagator (W3C <c>traceparent</c>), and a child
/// activity around consuming it. Activities and headers exist only while something listens to
/// <see cref="Instrumentation.ActivitySource"/>, so an untraced service pays one check per event.
/// </summary>
public sealed class KafkaTracing(IOptions<TelemetryOptions> options, IConfiguration configuration)
{
    private static readonly Action<Headers, string, string> SetHeader = static (headers, name, value) => headers.Add(name, Encoding.ASCII.GetBytes(value));

    private static readonly Func<Headers, string, IEnumerable<string>> GetHeader = static (headers, name) =>
        headers.TryGetLastBytes(name, out var value) ? [Encoding.ASCII.GetString(value)] : [];

    /// <summary>Whether tracing is on: the consumer then also reads message headers (costly enough to leave off otherwise).</summary>
    public bool Enabled { get; } = options.Value.TracingEnabled(configuration);

    /// <summary>Starts the produce activity and puts its context on the message; null when nobody listens or the trace is not sampled.</summary>
    public static Activity? StartProduce(Message<byte[], byte[]> message, string topic)
    {
        if (!Instrumentation.ActivitySource.HasListeners())
        {
            return null;
        }

        var activity = Instrumentation.ActivitySource.StartActivity($"send {topic}", ActivityKind.Producer);
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

        message.Headers ??= [];
        Propagators.DefaultTextMapPropagator.Inject(new PropagationContext(activity.Context, Baggage.Current), message.Headers, SetHeader);
        return activity;
    }

    /// <summary>Starts the consume activity as a child of the produce activity whose context the message's headers carry.</summary>
    public static Activity? StartConsume(Headers? headers, string topic, int partition, long offset)
    {
        if (headers is not { Count: > 0 } || !Instrumentation.ActivitySource.HasListeners())
        {
            return null;
        }

        var parent = Propagators.DefaultTextMapPropagator.Extract(default, headers, GetHeader);
        if (parent.ActivityContext == default)
        {
            return null;
        }

        var activity = Instrumentation.ActivitySource.StartActivity($"process {topic}", ActivityKind.Consumer, parent.ActivityContext);
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
