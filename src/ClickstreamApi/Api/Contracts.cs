using ClickstreamApi.Consumption;
using ClickstreamApi.Generation;

namespace ClickstreamApi.Api;

/// <summary>The generator's state and counters.</summary>
/// <param name="Running">Whether events are being generated now.</param>
/// <param name="EventsPerSecond">The target rate.</param>
/// <param name="MaxEventsPerSecond">The highest rate that may be set (Generator:MaxEventsPerSecond).</param>
/// <param name="RunId">The current or last run; each start begins a new run whose events count <c>seq</c> from 1.</param>
/// <param name="RunStartedAt">When that run started.</param>
/// <param name="Produced">Events handed to the Kafka producer since the service started.</param>
/// <param name="Delivered">Events acknowledged by the cluster.</param>
/// <param name="Failed">Events that could not be delivered.</param>
/// <param name="Queued">Events handed over and not yet delivered or failed.</param>
/// <param name="QueueFullBackoffs">Times the producer's local queue was full and the generator waited.</param>
/// <param name="ScheduleResets">Times the generator fell over a second behind its schedule and restarted it.</param>
public sealed record GeneratorStatus(
    bool Running,
    double EventsPerSecond,
    double MaxEventsPerSecond,
    string? RunId,
    DateTimeOffset? RunStartedAt,
    long Produced,
    long Delivered,
    long Failed,
    long Queued,
    long QueueFullBackoffs,
    long ScheduleResets)
{
    internal static GeneratorStatus From(GeneratorController controller, ClickProducer producer)
    {
        var state = controller.Current;
        return new GeneratorStatus(
            state.Running,
            state.EventsPerSecond,
            controller.MaxEventsPerSecond,
            state.RunId,
            state.RunStartedAt,
            producer.Produced,
            producer.Delivered,
            producer.Failed,
            producer.Queued,
            producer.QueueFullBackoffs,
            controller.ScheduleResets);
    }
}

/// <summary>A new target rate.</summary>
/// <param name="EventsPerSecond">Events per second: a number from 0.01 up to Generator:MaxEventsPerSecond.</param>
public sealed record SetRateRequest(double? EventsPerSecond);

/// <summary>Messages on the topic that were not valid events.</summary>
/// <param name="Total">Every rejected message since the service started, including those no longer listed.</param>
/// <param name="Capacity">How many of the newest rejected messages are listed (Consumer:RejectedCapacity).</param>
/// <param name="ByReason">Rejected messages counted by reason code.</param>
/// <param name="Messages">The newest rejected messages, newest first.</param>
public sealed record RejectedMessages(long Total, int Capacity, IReadOnlyDictionary<string, long> ByReason, IReadOnlyList<RejectedMessage> Messages);

/// <summary>Where the service's Kafka is.</summary>
/// <param name="Mode"><c>embedded</c> (the in-process mock cluster) or <c>external</c> (Kafka:BootstrapServers).</param>
/// <param name="BootstrapServers">Bootstrap address; tools such as kcat can connect to it.</param>
/// <param name="Topic">The click-stream topic.</param>
/// <param name="Partitions">The topic's partition count.</param>
public sealed record KafkaInfo(string Mode, string BootstrapServers, string Topic, int Partitions);

/// <summary>Outcome of a health check.</summary>
/// <param name="Status"><c>Healthy</c>, <c>Degraded</c> or <c>Unhealthy</c>.</param>
/// <param name="DurationMs">How long the checks took.</param>
/// <param name="Checks">Each check with its status, description and data.</param>
public sealed record HealthResponse(string Status, double DurationMs, IReadOnlyDictionary<string, HealthCheckResponse> Checks);

/// <summary>One health check's outcome.</summary>
/// <param name="Status"><c>Healthy</c>, <c>Degraded</c> or <c>Unhealthy</c>.</param>
/// <param name="Description">What the check found.</param>
/// <param name="Data">Details such as the bootstrap address and assigned partitions.</param>
public sealed record HealthCheckResponse(string Status, string? Description, IReadOnlyDictionary<string, string> Data);
