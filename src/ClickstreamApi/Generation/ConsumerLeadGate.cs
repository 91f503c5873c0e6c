using ClickstreamApi.Kafka;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Generation;

/// <summary>
/// Holds a simulated run back while it is too far ahead of the service's own consumer on the
/// embedded cluster (see <see cref="GeneratorOptions.MaxConsumerLeadPerPartition"/>). A simulated
/// run's events carry their scheduled times, so waiting changes only how long it takes, never what
/// it writes. The decision is <see cref="ConsumerLead"/>'s; this reads the counters it needs.
/// </summary>
internal sealed partial class ConsumerLeadGate(
    TopicProgress progress,
    KafkaEnvironment kafka,
    ClickProducer producer,
    IOptions<GeneratorOptions> options,
    TimeProvider time,
    ILogger<ConsumerLeadGate> logger)
{
    private readonly ConsumerLead _lead = new(
        kafka.Mode == KafkaMode.Embedded ? (long)options.Value.MaxConsumerLeadPerPartition * kafka.Partitions : 0,
        kafka.Partitions,
        time);

    /// <summary>Whether the run should wait before its next batch.</summary>
    public bool ShouldWait()
    {
        var decision = _lead.Decide(producer.Produced, progress.MessagesRead, progress.PartitionsHeld);
        if (decision == ConsumerLead.Decision.GiveUp)
        {
            LogStalled(ConsumerLead.StallLimit.TotalSeconds, producer.Produced - progress.MessagesRead);
        }

        return decision == ConsumerLead.Decision.Wait;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The service's consumer has read nothing for {Seconds} s while {Lead} messages ahead: the simulated run goes on without waiting for it (what the embedded broker evicts before it is read is counted as skipped)")]
    private partial void LogStalled(double seconds, long lead);
}
