using System.Collections.Concurrent;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Diagnostics;

/// <summary>One broker connection as librdkafka last reported it (round-trip times in microseconds).</summary>
public sealed record BrokerStatistics(string Name, int NodeId, string State, long RttAverageMicros, long RttP99Micros, long OutboundRequests, long AwaitingResponse);

/// <summary>One client's last librdkafka statistics report: its queues and its broker connections.</summary>
/// <param name="Client">"producer" or "consumer".</param>
/// <param name="QueuedMessages">Messages in the producer's queues waiting to be sent or acknowledged (msg_cnt).</param>
/// <param name="QueuedBytes">Their size (msg_size).</param>
/// <param name="ReplyQueue">Events (delivery reports, fetched messages) waiting for the application to poll (replyq).</param>
/// <param name="FetchQueueMessages">Messages fetched for the consumer and not yet consumed, over all partitions.</param>
/// <param name="Brokers">The connections to real brokers (not bootstrap or coordinator entries).</param>
public sealed record KafkaClientStatistics(
    string Client,
    long QueuedMessages,
    long QueuedBytes,
    long ReplyQueue,
    long FetchQueueMessages,
    IReadOnlyList<BrokerStatistics> Brokers);

/// <summary>
/// librdkafka's periodic statistics (<c>statistics.interval.ms</c>), reduced to the few figures the
/// service exposes as metrics. A report is a few kilobytes every few seconds, parsed once into
/// small records; readers (metric callbacks) only ever see a complete report.
/// </summary>
public sealed class LibrdkafkaStatistics(IOptions<TelemetryOptions> options)
{
    private readonly int _intervalMs = options.Value.KafkaStatisticsIntervalMs;
    private readonly ConcurrentDictionary<string, KafkaClientStatistics> _latest = new(StringComparer.Ordinal);
    private long _reports;
    private long _unreadable;

    /// <summary>The latest report of each client that sent one.</summary>
    public ICollection<KafkaClientStatistics> Latest => _latest.Values;

    public long Reports => Interlocked.Read(ref _reports);

    /// <summary>Reports that were not the JSON librdkafka documents (counted, not thrown into librdkafka's thread).</summary>
    public long Unreadable => Interlocked.Read(ref _unreadable);

    /// <summary>
    /// Turns on statistics reports for a client (every <c>Telemetry:KafkaStatisticsIntervalMs</c>,
    /// unless its own settings already set <c>statistics.interval.ms</c>); false when they stay off.
    /// </summary>
    public bool Configure(ClientConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (_intervalMs > 0)
        {
            config.StatisticsIntervalMs ??= _intervalMs;
        }

        return config.StatisticsIntervalMs > 0;
    }

    /// <summary>Takes one report; called on librdkafka's statistics callback.</summary>
    public void Update(string client, string json)
    {
        if (Parse(client, json) is { } statistics)
        {
            _latest[client] = statistics;
            Interlocked.Increment(ref _reports);
        }
        else
        {
            Interlocked.Increment(ref _unreadable);
        }
    }

    /// <summary>Reads the figures the metrics need from a statistics report, or null when it is not one.</summary>
    public static KafkaClientStatistics? Parse(string client, string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var brokers = new List<BrokerStatistics>();
            if (root.TryGetProperty("brokers", out var brokersElement) && brokersElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var broker in brokersElement.EnumerateObject())
                {
                    var nodeId = (int)Number(broker.Value, "nodeid");
                    // Bootstrap, internal and coordinator entries (node id -1) duplicate real brokers or are not connections.
                    if (nodeId < 0)
                    {
                        continue;
                    }

                    long rttAverage = 0, rttP99 = 0;
                    if (broker.Value.TryGetProperty("rtt", out var rtt) && rtt.ValueKind == JsonValueKind.Object)
                    {
                        rttAverage = Number(rtt, "avg");
                        rttP99 = Number(rtt, "p99");
                    }

                    brokers.Add(new BrokerStatistics(
                        broker.Value.TryGetProperty("name", out var name) ? name.GetString() ?? broker.Name : broker.Name,
                        nodeId,
                        broker.Value.TryGetProperty("state", out var state) ? state.GetString() ?? "" : "",
                        rttAverage,
                        rttP99,
                        Number(broker.Value, "outbuf_cnt"),
                        Number(broker.Value, "waitresp_cnt")));
                }
            }

            long fetchQueue = 0;
            if (root.TryGetProperty("topics", out var topics) && topics.ValueKind == JsonValueKind.Object)
            {
                foreach (var topic in topics.EnumerateObject())
                {
                    if (topic.Value.TryGetProperty("partitions", out var partitions) && partitions.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var partition in partitions.EnumerateObject())
                        {
                            fetchQueue += Math.Max(0, Number(partition.Value, "fetchq_cnt"));
                        }
                    }
                }
            }

            return new KafkaClientStatistics(client, Number(root, "msg_cnt"), Number(root, "msg_size"), Number(root, "replyq"), fetchQueue, brokers);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static long Number(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : 0;
}
